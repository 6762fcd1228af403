//! The programme's impact for its funders: cohorts run and people reached against the targets,
//! participation, and the self-assessment before and after. Aggregates only, never a name, and
//! every figure about people goes through the small-cell rule ([`Figure::cell`]): these figures
//! leave the cohort.

mod reach;
mod self_assessment;
#[cfg(test)]
mod tests;

pub use reach::{ACTIVE_DAYS, Reach};
pub use self_assessment::Scores;

use crate::cohort::Cohort;
use crate::content::{Bundle, Programme};
use crate::figures::{Figure, mean_rule};
use crate::i18n::Lang;
use crate::table::Table;
use serde::{Deserialize, Serialize};

/// Young people the programme is to reach in its three years.
pub const TARGET_YOUNG_PEOPLE: usize = 180;
/// Parents the programme is to reach.
pub const TARGET_PARENTS: usize = 120;
/// Start-ups each IN-Community path follows.
pub const STARTUPS_PER_PATH: u32 = 3;

/// The education paths (cohorts) each programme is to run in three years.
pub fn target_paths(programme: Programme) -> u32 {
    match programme {
        Programme::SpaceCamp => 1,
        Programme::Steamcamp => 5,
        Programme::SteamcampFamily => 3,
        Programme::InCommunity => 3,
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Impact {
    pub tables: Vec<Titled>,
}

impl Impact {
    /// Each table under its title, with a blank line between tables.
    pub fn to_csv(&self) -> String {
        let tables: Vec<String> = self
            .tables
            .iter()
            .map(|t| Table::new(&[&t.title]).to_csv() + &t.table.to_csv())
            .collect();
        tables.join("\r\n")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Titled {
    pub title: String,
    pub table: Table,
}

/// The whole programme at `now` (RFC 3339): a row per programme and the total.
pub fn programme(bundle: &Bundle, cohorts: &[Cohort], now: &str, lang: Lang) -> Impact {
    let of = |programme: Programme| {
        let cohorts = cohorts
            .iter()
            .filter(move |c| c.path.programme == Some(programme));
        Reach::of(bundle, cohorts, now)
    };
    let rows: Vec<(String, Reach)> = Programme::ALL
        .iter()
        .map(|p| (p.name().to_owned(), of(*p)))
        .collect();
    let total = Reach::of(bundle, cohorts, now);
    let mut with_total = rows.clone();
    with_total.push((lang.pick("Totale", "Total").to_owned(), total.clone()));
    Impact {
        tables: vec![
            paths_run(&rows, lang),
            people_targets(&total, lang),
            participation(&with_total, lang),
            self_assessed(&with_total, lang),
        ],
    }
}

/// One cohort at `now`: its row of participation and self-assessment, and for IN-Community its
/// start-ups against the target.
pub fn cohort(bundle: &Bundle, cohort: &Cohort, now: &str, lang: Lang) -> Impact {
    let programme = cohort.path.programme;
    let reach = Reach::of(bundle, [cohort], now);
    let row = vec![(
        programme.map_or("—", Programme::name).to_owned(),
        reach.clone(),
    )];
    let mut tables = vec![participation(&row, lang), self_assessed(&row, lang)];
    if programme == Some(Programme::InCommunity) {
        let mut table = Table::new(&[
            lang.pick("Start-up seguite", "Start-ups followed"),
            lang.pick("Obiettivo", "Target"),
        ]);
        table.rows.push(vec![
            reach.startups.to_string(),
            STARTUPS_PER_PATH.to_string(),
        ]);
        tables.push(Titled {
            title: "Start-up".into(),
            table,
        });
    }
    Impact { tables }
}

/// Cohorts and start-ups are not people: shown as they are.
fn paths_run(rows: &[(String, Reach)], lang: Lang) -> Titled {
    let mut table = Table::new(&[
        lang.pick("Programma", "Programme"),
        lang.pick("Percorsi svolti", "Paths run"),
        lang.pick("Obiettivo in 3 anni", "3-year target"),
        lang.pick("Start-up seguite", "Start-ups followed"),
        lang.pick("Obiettivo start-up", "Start-up target"),
    ]);
    for ((name, reach), programme) in rows.iter().zip(Programme::ALL) {
        let target = target_paths(programme);
        let startups = match programme {
            Programme::InCommunity => [
                reach.startups.to_string(),
                (target * STARTUPS_PER_PATH).to_string(),
            ],
            _ => ["—".to_owned(), "—".to_owned()],
        };
        let mut row = vec![
            name.clone(),
            reach.cohorts_run.to_string(),
            target.to_string(),
        ];
        row.extend(startups);
        table.rows.push(row);
    }
    Titled {
        title: lang
            .pick("Percorsi svolti e obiettivi", "Paths run and targets")
            .into(),
        table,
    }
}

fn people_targets(total: &Reach, lang: Lang) -> Titled {
    let mut table = Table::new(&[
        lang.pick("Chi", "Who"),
        lang.pick("Raggiunti", "Reached"),
        lang.pick("Obiettivo", "Target"),
    ]);
    for (who, reached, target) in [
        (
            lang.pick("Ragazzi e ragazze", "Young people"),
            total.young_people,
            TARGET_YOUNG_PEOPLE,
        ),
        (
            lang.pick("Genitori", "Parents"),
            total.parents,
            TARGET_PARENTS,
        ),
    ] {
        table.rows.push(vec![
            who.to_owned(),
            Figure::People(reached).cell(lang),
            target.to_string(),
        ]);
    }
    Titled {
        title: lang
            .pick(
                "Persone raggiunte e obiettivi",
                "People reached and targets",
            )
            .into(),
        table,
    }
}

fn participation(rows: &[(String, Reach)], lang: Lang) -> Titled {
    let mut table = Table::new(&[
        lang.pick("Programma", "Programme"),
        lang.pick("Ragazzi e ragazze", "Young people"),
        lang.pick("Genitori", "Parents"),
        lang.pick(
            "Attivi negli ultimi 30 giorni",
            "Active in the last 30 days",
        ),
        lang.pick("Hanno completato il percorso", "Completed the path"),
        lang.pick("Badge ottenuti", "Badges earned"),
        lang.pick(
            "Compiti in famiglia fatti insieme",
            "Family tasks done together",
        ),
    ]);
    for (name, r) in rows {
        let of = r.young_people;
        table.rows.push(vec![
            name.clone(),
            Figure::People(of).cell(lang),
            Figure::People(r.parents).cell(lang),
            Figure::People(r.active).cell(lang),
            Figure::Share {
                part: r.completed,
                of,
            }
            .cell(lang),
            Figure::Count {
                count: r.badges,
                of,
            }
            .cell(lang),
            Figure::Count {
                count: r.family_tasks,
                of,
            }
            .cell(lang),
        ]);
    }
    Titled {
        title: lang.pick("Partecipazione", "Participation").into(),
        table,
    }
}

fn self_assessed(rows: &[(String, Reach)], lang: Lang) -> Titled {
    let mut table = Table::new(&[
        lang.pick("Programma", "Programme"),
        lang.pick("Persone con prima e dopo", "People with before and after"),
    ]);
    // Each mean's header says when it has no value, so the CSV says it as well.
    for (it, en) in [("Media prima", "Mean before"), ("Media dopo", "Mean after")] {
        let header = format!("{} (1–4; {})", lang.pick(it, en), mean_rule(lang));
        table.columns.push(header);
    }
    for (name, r) in rows {
        let scores = &r.self_assessed;
        let of = scores.people;
        let (before, after) = scores.means().unwrap_or_default();
        table.rows.push(vec![
            name.clone(),
            Figure::People(of).cell(lang),
            Figure::Mean { value: before, of }.cell(lang),
            Figure::Mean { value: after, of }.cell(lang),
        ]);
    }
    Titled {
        title: lang
            .pick(
                "Autovalutazione delle competenze digitali",
                "Digital skills self-assessment",
            )
            .into(),
        table,
    }
}
