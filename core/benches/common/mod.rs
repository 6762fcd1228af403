//! The synthetic programme and logs the benchmarks share.

use officina_core::{
    Activity, Audience, Badge, Bundle, Challenge, Criteria, Details, Event, EventKind, EventLog,
    Evidence, Localized, Module, Path, Programme,
};
use serde_json::json;
use uuid::Uuid;

/// A programme the size of the real one: 10 paths, 4 modules each, 4 activities per module (the
/// last one a challenge), and 16 badges of every kind of criterion.
pub fn programme() -> Bundle {
    let activity = |id: String, challenge: bool| Activity {
        title: Localized::it(id.clone()),
        body_html: Localized::it("<p>testo</p>"),
        minutes: Some(10),
        xp: Some(10),
        prerequisites: vec![],
        details: if challenge {
            Details::Challenge(Challenge {
                evidence: vec![Evidence::Text],
                materials: vec![],
                safety: vec![],
                steps: vec![],
            })
        } else {
            Details::Lesson
        },
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
                        .map(|a| activity(format!("p{p}m{m}a{a}"), a == 3))
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

/// `count` events of every kind over the programme and a year of weeks, ids from `first`, owned by
/// `user`.
pub fn log_of(bundle: &Bundle, count: u32, first: u128, user: Option<&str>) -> EventLog {
    let activities: Vec<&str> = bundle
        .paths
        .iter()
        .flat_map(|p| p.activities())
        .map(|a| a.id.as_str())
        .collect();
    let mut log = EventLog::default();
    for n in 0..count {
        let (kind, data) = match n % 4 {
            0 => (EventKind::ActivityCompleted, json!({})),
            1 => (
                EventKind::QuizSubmitted,
                json!({"passed": n % 8 == 1, "score": 50}),
            ),
            2 => (EventKind::ChallengeSubmitted, json!({"text": "fatto"})),
            _ => (
                EventKind::FamilyTaskConfirmed,
                json!({"role": if n % 8 == 3 { "child" } else { "parent" }}),
            ),
        };
        let day = 1 + n % 28;
        let month = 1 + (n / 28) % 12;
        let at = format!("2026-{month:02}-{day:02}T10:00:00Z");
        let activity = activities[n as usize % activities.len()];
        log.insert(Event {
            id: Uuid::from_u128(first + u128::from(n)),
            user_id: user.map(str::to_owned),
            kind,
            activity_id: Some(activity.into()),
            at,
            data,
        });
    }
    log
}
