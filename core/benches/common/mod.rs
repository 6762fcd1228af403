//! The synthetic programme and logs the benchmarks share.

use officina_core::{
    Activity, Audience, Badge, Bundle, Challenge, Criteria, Details, Event, EventKind, EventLog,
    Evidence, FamilyTask, Localized, Module, Path, Programme, Question, Quiz,
};
use serde_json::json;
use uuid::Uuid;

/// A programme the size of the real one: 10 paths, 4 modules each, 4 activities per module (a
/// lesson, a quiz, a family task, a challenge), and 16 badges of every kind of criterion.
pub fn programme() -> Bundle {
    let details = |a: usize| match a {
        0 => Details::Lesson,
        1 => Details::Quiz(Quiz {
            pass_mark: 100,
            questions: vec![Question::Number {
                prompt: Localized::it("2 + 2?"),
                answer: 4.0,
                tolerance: 0.0,
                unit: None,
                feedback: None,
            }],
        }),
        2 => Details::FamilyTask(FamilyTask {
            materials: vec![],
            safety: vec![],
            steps: vec![],
            reflection: None,
        }),
        _ => Details::Challenge(Challenge {
            evidence: vec![Evidence::Text],
            materials: vec![],
            safety: vec![],
            steps: vec![],
        }),
    };
    let activity = |id: String, a: usize| Activity {
        title: Localized::it(id.clone()),
        body_html: Localized::it("<p>testo</p>"),
        minutes: Some(10),
        xp: Some(10),
        prerequisites: vec![],
        details: details(a),
        id,
    };
    let paths = (0..10)
        .map(|p| Path {
            id: format!("p{p}"),
            title: Localized::it("Percorso"),
            summary: Localized::it("Sommario"),
            audience: Audience::Learners,
            programme: Some(Programme::Steamcamp),
            edition: "2024".into(),
            ages: None,
            cover: None,
            modules: (0..4)
                .map(|m| Module {
                    id: format!("p{p}m{m}"),
                    title: Localized::it("Modulo"),
                    activities: (0..4)
                        .map(|a| activity(format!("p{p}m{m}a{a}"), a))
                        .collect(),
                })
                .collect(),
        })
        .collect();
    let criteria = |n: usize| match n % 6 {
        0 => Criteria::ModuleCompleted {
            module: format!("p{}m0", n % 10),
        },
        1 => Criteria::PathCompleted {
            path: format!("p{}", n % 10),
        },
        2 => Criteria::ActivitiesCompleted {
            activities: vec![format!("p{}m1a0", n % 10), format!("p{}m1a1", n % 10)],
        },
        3 => Criteria::ChallengesApproved {
            count: 3,
            path: None,
        },
        4 => Criteria::WeeklyStreak { weeks: 4 },
        _ => Criteria::Awarded,
    };
    let badges = (0..16)
        .map(|n| Badge {
            id: format!("b{n}"),
            name: Localized::it("Badge"),
            description: Localized::it("Descrizione"),
            image: "/b.svg".into(),
            criteria: criteria(n),
        })
        .collect();
    Bundle {
        content_version: "bench".into(),
        paths,
        badges,
        self_assessment: Default::default(),
    }
}

/// `count` events of every kind over the programme and a year of weeks, each one the programme
/// accepts for its activity, ids from `first`, owned by `user`.
pub fn log_of(bundle: &Bundle, count: u32, first: u128, user: Option<&str>) -> EventLog {
    let activities: Vec<&Activity> = bundle.paths.iter().flat_map(|p| p.activities()).collect();
    let mut log = EventLog::default();
    for n in 0..count {
        let activity = activities[n as usize % activities.len()];
        let (kind, data) = match (&activity.details, n % 3) {
            (Details::Lesson, _) => (EventKind::ActivityCompleted, json!({})),
            (Details::Quiz(_), 0) => (
                EventKind::QuizSubmitted,
                json!({"answers": [4], "score": 100, "passed": true}),
            ),
            (Details::Quiz(_), _) => (
                EventKind::QuizSubmitted,
                json!({"answers": [5], "score": 0, "passed": false}),
            ),
            (Details::FamilyTask(_), 0) => {
                (EventKind::FamilyTaskConfirmed, json!({"role": "child"}))
            }
            (Details::FamilyTask(_), _) => {
                (EventKind::FamilyTaskConfirmed, json!({"role": "parent"}))
            }
            (Details::Challenge(_), 0) => (EventKind::ChallengeSubmitted, json!({"text": "fatto"})),
            (Details::Challenge(_), _) => {
                (EventKind::ChallengeReviewed, json!({"status": "approved"}))
            }
        };
        let day = 1 + n % 28;
        let month = 1 + (n / 28) % 12;
        let at = format!("2026-{month:02}-{day:02}T10:00:00Z");
        let id = Uuid::from_u128(first + u128::from(n));
        let mut event = Event::with_data(id, kind, Some(&activity.id), at, data);
        event.user_id = user.map(str::to_owned);
        log.insert(event);
    }
    log
}
