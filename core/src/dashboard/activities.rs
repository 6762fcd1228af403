//! The dashboard's activities table.

use crate::account::Role;
use crate::cohort::{Cohort, MemberLog};
use crate::content::{ActivityKind, Details, Question};
use crate::events::EventKind;
use crate::figures::Figure;
use crate::i18n::{Lang, Localized};
use crate::progress::Stamp;
use crate::quiz::{Answer, answers_of, most_wrong};
use crate::table::Table;

/// How many of a quiz's questions the table names.
const MOST_WRONG: usize = 2;

/// Each activity of the path, in order: how many of the cohort's learners have done it and, for
/// a quiz, the questions they most often got wrong at their first attempt.
pub fn table(cohort: &Cohort, lang: Lang) -> Table {
    let mut table = Table::new(&[
        lang.pick("Modulo", "Module"),
        lang.pick("Attività", "Activity"),
        lang.pick("Tipo", "Kind"),
        lang.pick("Completata da", "Completed by"),
        lang.pick("Domande più sbagliate", "Most often wrong"),
    ]);
    let learners: Vec<&MemberLog> = cohort.with_role(Role::Learner).collect();
    for module in &cohort.path.modules {
        for activity in &module.activities {
            let done = learners
                .iter()
                .filter(|m| m.progress.is_done(&activity.id))
                .count();
            let wrong = match &activity.details {
                Details::Quiz(quiz) => {
                    let attempts = first_attempts(&learners, &activity.id);
                    let found = most_wrong(quiz, &attempts, MOST_WRONG);
                    let cells: Vec<String> = found
                        .into_iter()
                        .map(|(index, count)| {
                            let prompt = prompt(&quiz.questions[index]).get(lang);
                            let count = Figure::People(count).cell(lang);
                            format!("{}. {prompt} ({count})", index + 1)
                        })
                        .collect();
                    cells.join("; ")
                }
                _ => String::new(),
            };
            table.rows.push(vec![
                module.title.get(lang).to_owned(),
                activity.title.get(lang).to_owned(),
                kind_name(activity.kind(), lang).to_owned(),
                Figure::Share {
                    part: done,
                    of: learners.len(),
                }
                .cell(lang),
                wrong,
            ]);
        }
    }
    table
}

/// Each learner's first attempt at a quiz: later ones come after its feedback, so the first says
/// best what the lesson did not get across.
fn first_attempts(learners: &[&MemberLog], quiz: &str) -> Vec<Vec<Option<Answer>>> {
    learners
        .iter()
        .filter_map(|m| {
            m.own_events()
                .filter(|e| {
                    e.kind == EventKind::QuizSubmitted && e.activity_id.as_deref() == Some(quiz)
                })
                .filter_map(|e| Some((Stamp::of(e), answers_of(&e.data)?)))
                .min_by(|a, b| a.0.cmp(&b.0))
                .map(|(_, answers)| answers)
        })
        .collect()
}

fn prompt(question: &Question) -> &Localized {
    match question {
        Question::Single { prompt, .. }
        | Question::Multiple { prompt, .. }
        | Question::Number { prompt, .. } => prompt,
    }
}

fn kind_name(kind: ActivityKind, lang: Lang) -> &'static str {
    match kind {
        ActivityKind::Lesson => lang.pick("lezione", "lesson"),
        ActivityKind::Quiz => "quiz",
        ActivityKind::Challenge => lang.pick("sfida", "challenge"),
        ActivityKind::FamilyTask => lang.pick("compito in famiglia", "family task"),
    }
}
