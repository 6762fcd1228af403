//! Events the programme's rules accept, made before any clock starts: completions of the real
//! lessons and passed attempts (every answer right) at the real quizzes of `content/`.

use officina_core::payload::Attempt;
pub use officina_core::payload::Payload;
use officina_core::quiz::Answer;
use officina_core::{Audience, Bundle, Details, Event, Question, Quiz};
use serde_json::Value;
use uuid::Uuid;

/// One push: whose it is and its events as JSON.
pub struct Body {
    pub learner: usize,
    pub json: String,
}

/// What each learners' activity can be done by: a lesson's completion or a quiz passed.
pub fn payloads(bundle: &Bundle) -> Vec<(String, Payload)> {
    bundle
        .paths
        .iter()
        .filter(|path| path.audience == Audience::Learners)
        .flat_map(|path| path.modules.iter().flat_map(|m| &m.activities))
        .filter_map(|activity| {
            let payload = match &activity.details {
                Details::Lesson => Payload::Completed,
                Details::Quiz(quiz) => passed(quiz),
                _ => return None,
            };
            Some((activity.id.clone(), payload))
        })
        .collect()
}

fn passed(quiz: &Quiz) -> Payload {
    let right = |question: &Question| match question {
        Question::Single { options, .. } | Question::Multiple { options, .. } => {
            Answer::Choices((0..options.len()).filter(|&i| options[i].correct).collect())
        }
        Question::Number { answer, .. } => Answer::Number(*answer),
    };
    let answers: Vec<_> = quiz.questions.iter().map(|q| Some(right(q))).collect();
    let score = quiz.score(&answers);
    Payload::Quiz(Attempt {
        answers,
        score: score.percent,
        passed: score.passed,
    })
}

/// `count` pushes of `size` events, the `n`-th for learner `learners[n % len]`, at `at`.
pub fn bodies(
    payloads: &[(String, Payload)],
    learners: &[usize],
    count: usize,
    size: usize,
    at: &str,
) -> Vec<Body> {
    let device = Uuid::new_v4();
    let mut next = 0;
    (0..count)
        .map(|n| {
            let events: Vec<Event> = (0..size)
                .map(|_| {
                    let (activity, payload) = &payloads[next % payloads.len()];
                    next += 1;
                    Event::new(Uuid::new_v4(), Some(activity), at.into(), payload)
                })
                .collect();
            let body = serde_json::json!({ "device_id": device, "events": events });
            Body {
                learner: learners[n % learners.len()],
                json: body.to_string(),
            }
        })
        .collect()
}

/// The events of a body as the raw baseline stores them: the columns of `events`.
pub fn rows(body: &Body) -> Vec<[String; 6]> {
    let value: Value = serde_json::from_str(&body.json).expect("own JSON");
    let device = value["device_id"].as_str().unwrap_or_default().to_owned();
    value["events"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            let text = |key: &str| e[key].as_str().unwrap_or_default().to_owned();
            [
                text("id"),
                device.clone(),
                text("kind"),
                text("activity_id"),
                text("at"),
                e["data"].to_string(),
            ]
        })
        .collect()
}
