//! Figures about people as table cells. Two audiences: a cohort's own educators, who know its
//! members by name, see the figures as they are; a report that leaves the cohort (the impact
//! report and its CSV, for the funder) follows the small-cell rule, through [`Figure::cell`]: in
//! a group this small, a count of 1 to 4 people would point at someone.

use crate::i18n::Lang;

/// `part` of `total` in whole percent, rounded down (0 when `total` is 0; `part` ≤ `total`).
pub fn percent_of(part: usize, total: usize) -> u8 {
    (part * 100)
        .checked_div(total)
        .map_or(0, |p| p.min(100) as u8)
}

/// The fewest people a reported figure may be about.
pub const MIN_PEOPLE: usize = 5;
/// What a count about too few people shows instead, in both languages.
pub const SUPPRESSED: &str = "<5";

/// What a mean over too few people shows instead: it is not hidden, it has no value yet.
pub fn not_available(lang: Lang) -> &'static str {
    lang.pick("n/d", "n/a")
}

/// Why a mean shows [`not_available`], for the header of its column (so the CSV says it too).
pub fn mean_rule(lang: Lang) -> &'static str {
    lang.pick("n/d con meno di 5 persone", "n/a under 5 people")
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Figure {
    /// How many people.
    People(usize),
    /// How many things (badges, tasks) `of` people did between them.
    Count { count: usize, of: usize },
    /// `part` of `of` people, in whole percent.
    Share { part: usize, of: usize },
    /// A mean over `of` people.
    Mean { value: f64, of: usize },
}

impl Figure {
    /// The figure as a report that leaves the cohort shows it. A count or share about 1 to 4
    /// people is hidden, never a zero (nobody points at nobody); a mean over fewer than 5 people
    /// is not available.
    pub fn cell(self, lang: Lang) -> String {
        match self {
            Self::People(n) | Self::Count { count: n, .. } | Self::Share { part: n, .. }
                if n == 0 =>
            {
                self.exact(lang)
            }
            Self::People(of) | Self::Count { of, .. } | Self::Share { of, .. }
                if of < MIN_PEOPLE =>
            {
                SUPPRESSED.to_owned()
            }
            Self::Mean { of, .. } if of < MIN_PEOPLE => not_available(lang).to_owned(),
            _ => self.exact(lang),
        }
    }

    /// The figure as it is.
    fn exact(self, lang: Lang) -> String {
        match self {
            Self::People(n) | Self::Count { count: n, .. } => n.to_string(),
            Self::Share { part, of } => format!("{}%", percent_of(part, of)),
            Self::Mean { value, .. } => decimal(value, lang),
        }
    }
}

/// One decimal place, with the decimal comma in Italian.
pub fn decimal(value: f64, lang: Lang) -> String {
    let text = format!("{value:.1}");
    match lang {
        Lang::It => text.replace('.', ","),
        Lang::En => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOUNDARY: [usize; 4] = [0, 1, 4, 5];

    fn cells(figure: impl Fn(usize) -> Figure, lang: Lang) -> Vec<String> {
        BOUNDARY.iter().map(|&n| figure(n).cell(lang)).collect()
    }

    #[test]
    fn people_from_one_to_four_are_hidden_and_nobody_is_zero() {
        assert_eq!(cells(Figure::People, Lang::It), ["0", "<5", "<5", "5"]);
        assert_eq!(Figure::People(6).cell(Lang::En), "6");
    }

    #[test]
    fn counts_are_hidden_when_few_people_did_them_but_zero_shows() {
        let count = |of| Figure::Count { count: 3 * of, of };
        assert_eq!(cells(count, Lang::It), ["0", "<5", "<5", "15"]);
        let nothing = |of| Figure::Count { count: 0, of };
        assert_eq!(cells(nothing, Lang::It), ["0", "0", "0", "0"]);
        assert_eq!(Figure::Count { count: 1, of: 9 }.cell(Lang::It), "1");
    }

    #[test]
    fn shares_are_hidden_among_fewer_than_five_but_zero_shows() {
        let all = |of| Figure::Share { part: of, of };
        assert_eq!(cells(all, Lang::It), ["0%", "<5", "<5", "100%"]);
        let none = |of| Figure::Share { part: 0, of };
        assert_eq!(cells(none, Lang::En), ["0%", "0%", "0%", "0%"]);
        assert_eq!(Figure::Share { part: 2, of: 5 }.cell(Lang::It), "40%");
    }

    #[test]
    fn means_over_fewer_than_five_are_not_available() {
        let mean = |of| Figure::Mean { value: 2.25, of };
        assert_eq!(cells(mean, Lang::It), ["n/d", "n/d", "n/d", "2,2"]);
        assert_eq!(cells(mean, Lang::En), ["n/a", "n/a", "n/a", "2.2"]);
        let zero = |of| Figure::Mean { value: 0.0, of };
        assert_eq!(cells(zero, Lang::It)[3], "0,0");
    }

    #[test]
    fn decimals_follow_the_language() {
        assert_eq!(decimal(3.0, Lang::It), "3,0");
        assert_eq!(decimal(2.96, Lang::En), "3.0");
    }
}
