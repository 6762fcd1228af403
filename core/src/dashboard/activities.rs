//! The dashboard's activities table.

use crate::account::Role;
use crate::cohort::{Cohort, MemberLog};
use crate::content::{ActivityKind, Details, Question, Quiz};
use crate::figures::decimal;
use crate::i18n::{Lang, Localized};
use crate::quiz::{Answer, most_wrong};
use crate::table::Table;

/// How many of a quiz's questions the table names.
const MOST_WRONG: usize = 2;

/// Each activity of the path, in order: how many of the cohort's learners have done it and, for
/// a quiz, their mean score and the questions they most often got wrong at their first attempt.
/// The cohort's own educators read it, who know its members by name: every figure is exact.
pub fn table(cohort: &Cohort, lang: Lang) -> Table {
    let mut table = Table::new(&[
        lang.pick("Modulo", "Module"),
        lang.pick("Attività", "Activity"),
        lang.pick("Tipo", "Kind"),
        lang.pick("Completata da", "Completed by"),
        lang.pick(
            "Punteggio medio al primo tentativo",
            "Mean score at first attempt",
        ),
        lang.pick("Domande più sbagliate", "Most often wrong"),
    ]);
    let learners: Vec<&MemberLog> = cohort.with_role(Role::Learner).collect();
    for module in &cohort.path.modules {
        for activity in &module.activities {
            let done = learners
                .iter()
                .filter(|m| m.progress.is_done(&activity.id))
                .count();
            let (mean, wrong) = match &activity.details {
                Details::Quiz(quiz) => {
                    let attempts = first_attempts(&learners, &activity.id);
                    (
                        mean_score(quiz, &attempts, lang),
                        most_wrong_cell(quiz, &attempts, lang),
                    )
                }
                _ => (String::new(), String::new()),
            };
            table.rows.push(vec![
                module.title.get(lang).to_owned(),
                activity.title.get(lang).to_owned(),
                kind_name(activity.kind(), lang).to_owned(),
                of_learners(done, learners.len(), lang),
                mean,
                wrong,
            ]);
        }
    }
    table
}

/// "2 di 3".
fn of_learners(part: usize, of: usize, lang: Lang) -> String {
    format!("{part} {} {of}", lang.pick("di", "of"))
}

/// The mean of the right answers, "2,3 su 3"; a dash before anyone tried.
fn mean_score(quiz: &Quiz, attempts: &[Vec<Option<Answer>>], lang: Lang) -> String {
    if attempts.is_empty() {
        return "—".to_owned();
    }
    let right: usize = attempts.iter().map(|a| quiz.score(a).right).sum();
    let mean = right as f64 / attempts.len() as f64;
    let total = quiz.questions.len();
    format!("{} {} {total}", decimal(mean, lang), lang.pick("su", "of"))
}

/// "1. Quota della ISS in km? (5); 2. Chi orbita? (2)": how many got each wrong.
fn most_wrong_cell(quiz: &Quiz, attempts: &[Vec<Option<Answer>>], lang: Lang) -> String {
    let cells: Vec<String> = most_wrong(quiz, attempts, MOST_WRONG)
        .into_iter()
        .map(|(index, count)| {
            let prompt = prompt(&quiz.questions[index]).get(lang);
            format!("{}. {prompt} ({count})", index + 1)
        })
        .collect();
    cells.join("; ")
}

/// Each learner's first attempt at a quiz: later ones come after its feedback, so the first says
/// best what the lesson did not get across.
fn first_attempts(learners: &[&MemberLog], quiz: &str) -> Vec<Vec<Option<Answer>>> {
    learners
        .iter()
        .filter_map(|m| m.summary.first_attempt(quiz))
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
