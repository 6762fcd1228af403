//! Events the programme's rules accept, for tests: whatever the kind of an activity, the event
//! that does it as a learner's device records it (a quiz is done only by passing it, never by an
//! `activity_completed`, which the rules refuse as `wrong_kind`).

use crate::content::{Activity, Bundle, Challenge, Details, FamilyTask, Question, Quiz};
use crate::events::Event;
use crate::payload::{Attempt, Confirmation, FamilyRole, Payload, Review, Submission, Verdict};
use crate::quiz::Answer;
use uuid::Uuid;

/// Event `n` at `at`, with no owner, that does `activity` of `bundle`: a lesson's completion, a
/// quiz's attempt with every answer right, a challenge's submission (approved only by a
/// [`review`]), a family task's confirmation by the child (done once the parent's [`confirmation`]
/// joins it).
pub fn finishing(bundle: &Bundle, n: u128, activity: &str, at: &str) -> Event {
    let details = &bundle
        .activity(activity)
        .unwrap_or_else(|| panic!("no activity {activity} in the bundle"))
        .activity
        .details;
    let payload = match details {
        Details::Lesson => Payload::Completed,
        Details::Quiz(quiz) => attempt(quiz, right_answers(quiz)),
        Details::Challenge(_) => Payload::Submission(Submission {
            text: "Fatto".into(),
            photos: vec![],
        }),
        Details::FamilyTask(_) => return confirmation(n, activity, at, FamilyRole::Child),
    };
    Event::new(Uuid::from_u128(n), Some(activity), at.into(), &payload)
}

/// One side's confirmation `n` of a family task, without a reflection.
pub fn confirmation(n: u128, activity: &str, at: &str, role: FamilyRole) -> Event {
    let confirmation = Payload::Family(Confirmation {
        role,
        reflection: None,
    });
    Event::new(Uuid::from_u128(n), Some(activity), at.into(), &confirmation)
}

/// An attempt at `quiz` with these answers, its score and result computed as `core` does.
pub fn attempt(quiz: &Quiz, answers: Vec<Option<Answer>>) -> Payload {
    let score = quiz.score(&answers);
    Payload::Quiz(Attempt {
        answers,
        score: score.percent,
        passed: score.passed,
    })
}

/// The right answer to every question of `quiz`.
pub fn right_answers(quiz: &Quiz) -> Vec<Option<Answer>> {
    let right = |question: &Question| match question {
        Question::Single { options, .. } | Question::Multiple { options, .. } => {
            Answer::Choices((0..options.len()).filter(|&i| options[i].correct).collect())
        }
        Question::Number { answer, .. } => Answer::Number(*answer),
    };
    quiz.questions.iter().map(|q| Some(right(q))).collect()
}

/// An educator's review `n` of a challenge.
pub fn review(n: u128, activity: &str, at: &str, verdict: Verdict) -> Event {
    let review = Payload::Review(Review {
        verdict,
        comment: None,
    });
    Event::new(Uuid::from_u128(n), Some(activity), at.into(), &review)
}

/// The sample bundle (Space Camp: "orbite-intro", "orbite-quiz") and a second path, "laboratorio",
/// with a challenge, "sfida", and a family task, "compito".
pub fn every_kind() -> Bundle {
    let mut bundle = crate::content::tests::sample_bundle();
    let mut path = bundle.paths[0].clone();
    let module = &mut path.modules[0];
    let lesson = module.activities[0].clone();
    let activity = |id: &str, details| Activity {
        id: id.into(),
        details,
        ..lesson.clone()
    };
    module.activities = vec![
        activity(
            "sfida",
            Details::Challenge(Challenge {
                evidence: vec![],
                materials: vec![],
                safety: vec![],
                steps: vec![],
            }),
        ),
        activity(
            "compito",
            Details::FamilyTask(FamilyTask {
                materials: vec![],
                safety: vec![],
                steps: vec![],
                reflection: None,
            }),
        ),
    ];
    module.id = "prove".into();
    path.id = "laboratorio".into();
    bundle.paths.push(path);
    bundle
}
