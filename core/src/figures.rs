//! Figures about people as table cells, with the small-cell rule: in a group this small, a count
//! of 1 to 4 people, or a rate or mean over fewer than 5, would point at someone. Every
//! aggregate the educators' reports show goes through [`Figure::cell`].

use crate::i18n::Lang;
use crate::progress::percent_of;

/// The fewest people a figure may be about.
pub const MIN_PEOPLE: usize = 5;
/// What a figure about too few people shows instead, in both languages.
pub const SUPPRESSED: &str = "<5";

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
    /// The rule. Nobody is nobody: 0 people (or things done by nobody) is shown; a rate or mean
    /// over nobody has no value, and shows as too few.
    pub fn is_suppressed(self) -> bool {
        match self {
            Self::People(people) | Self::Count { of: people, .. } => {
                (1..MIN_PEOPLE).contains(&people)
            }
            Self::Share { of, .. } | Self::Mean { of, .. } => of < MIN_PEOPLE,
        }
    }

    pub fn cell(self, lang: Lang) -> String {
        if self.is_suppressed() {
            return SUPPRESSED.to_owned();
        }
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

    #[test]
    fn counts_of_one_to_four_people_are_hidden() {
        let cells: Vec<String> = (0..=6).map(|n| Figure::People(n).cell(Lang::It)).collect();
        assert_eq!(cells, ["0", "<5", "<5", "<5", "<5", "5", "6"]);
        assert_eq!(Figure::Count { count: 40, of: 4 }.cell(Lang::It), "<5");
        assert_eq!(Figure::Count { count: 40, of: 5 }.cell(Lang::It), "40");
        assert_eq!(Figure::Count { count: 0, of: 0 }.cell(Lang::It), "0");
        assert_eq!(Figure::Count { count: 1, of: 9 }.cell(Lang::It), "1");
    }

    #[test]
    fn rates_and_means_need_five_people() {
        assert_eq!(Figure::Share { part: 4, of: 4 }.cell(Lang::It), "<5");
        assert_eq!(Figure::Share { part: 0, of: 0 }.cell(Lang::It), "<5");
        assert_eq!(Figure::Share { part: 2, of: 5 }.cell(Lang::It), "40%");
        assert_eq!(Figure::Share { part: 0, of: 5 }.cell(Lang::En), "0%");
        assert_eq!(Figure::Share { part: 2, of: 3 }.cell(Lang::En), "<5");
        let mean = |of| Figure::Mean { value: 2.25, of };
        assert_eq!(mean(4).cell(Lang::It), "<5");
        assert_eq!(mean(5).cell(Lang::It), "2,2");
        assert_eq!(mean(5).cell(Lang::En), "2.2");
        assert_eq!(mean(0).cell(Lang::En), "<5");
    }

    #[test]
    fn decimals_follow_the_language() {
        assert_eq!(decimal(3.0, Lang::It), "3,0");
        assert_eq!(decimal(2.96, Lang::En), "3.0");
    }
}
