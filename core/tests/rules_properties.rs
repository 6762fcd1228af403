//! The rules hold for any log a device or a forger could send: random kinds × activities ×
//! payloads (valid, forged, oversized), device times from 2019 to 9999 and malformed ones, and
//! random server receipts.
//! (a) Every event the check accepts says exactly what its typed payload says: the payload
//!     round-trips through `data`, and an event built from it reads it back.
//! (b) No badge is earned unless the accepted events mean it, recomputed here independently:
//!     quizzes passed by their answers, family tasks by both roles, challenges by an approving
//!     review that is the latest by receipt, modules and paths by an event that does each
//!     activity, streaks by weeks whose events reached the server in time; the events a badge
//!     names as earning it are such events. Conversely, a criterion met earns its badge (streaks
//!     aside: their evidence is checked, not their length).
//! (c) Folding the events one at a time, in any order, gives the fold (and the reports' summary)
//!     of the whole log, so one kept up to date as events arrive is what a full recomputation
//!     would give; and the events it names as resting on give it alone.

use officina_core::badges::{Earned, evaluate};
use officina_core::events::Received;
use officina_core::fold::Fold;
use officina_core::payload::{FamilyRole, Payload, Verdict};
use officina_core::progress::Progress;
use officina_core::quiz::Answer;
use officina_core::rules::{Judged, check, judge};
use officina_core::streaks::STREAK_WINDOW_DAYS;
use officina_core::summary::Summary;
use officina_core::{Bundle, Criteria, Details, Event, EventKind, EventLog, Question, Quiz, time};
use proptest::prelude::*;
use serde_json::{Value, json};
use std::cmp::Ordering;
use std::sync::LazyLock;
use uuid::Uuid;

/// The server's clock when the events are pushed.
const NOW: &str = "2026-11-25T12:00:00Z";
/// Every activity of [`BUNDLE`], then one it does not have.
const ACTIVITIES: [&str; 9] = [
    "lezione", "quiz", "sfida", "compito", "lezione2", "sfida2", "compito2", "quiz3", "nessuna",
];
const BADGES: [&str; 12] = [
    "modulo",
    "percorso",
    "attivita",
    "quiz",
    "quiz3",
    "sfida-1",
    "sfide-2",
    "famiglia-1",
    "famiglie-2",
    "costanza",
    "premio",
    "nessuno",
];

/// Two paths: "p" (module "m1": a lesson, a quiz of three questions, a challenge, a family task;
/// module "m2": a lesson, a challenge, a family task) and "q" (a quiz of one question), with a
/// badge for every kind of criterion.
static BUNDLE: LazyLock<Bundle> = LazyLock::new(|| {
    let it = |text: &str| json!({"it": text});
    let activity = |id: &str, kind: &str| json!({"id": id, "title": it(id), "body_html": it("<p>x</p>"), "kind": kind});
    let quiz = |id: &str, pass_mark: u8, questions: Value| {
        let mut quiz = activity(id, "quiz");
        quiz["pass_mark"] = json!(pass_mark);
        quiz["questions"] = questions;
        quiz
    };
    let challenge = |id: &str| {
        let mut challenge = activity(id, "challenge");
        challenge["evidence"] = json!(["text"]);
        challenge["steps"] = json!([it("Fallo.")]);
        challenge
    };
    let option = |correct: bool| json!({"text": it("o"), "correct": correct});
    let questions = json!([
        {"type": "single", "prompt": it("a"), "options": [option(false), option(true)]},
        {"type": "multiple", "prompt": it("b"),
            "options": [option(true), option(false), option(true)]},
        {"type": "number", "prompt": it("c"), "answer": 4.0, "tolerance": 0.5},
    ]);
    let ten = json!([{"type": "number", "prompt": it("d"), "answer": 10.0}]);
    let module = |id: &str, activities: Vec<Value>| json!({"id": id, "title": it(id), "activities": activities});
    let path = |id: &str, modules: Vec<Value>| {
        json!({"id": id, "title": it(id), "summary": it(id), "audience": "learners",
            "edition": "2026", "modules": modules})
    };
    let badge = |id: &str, criteria: Value| {
        json!({"id": id, "name": it(id), "description": it(id), "image": "/b.svg",
            "criteria": criteria})
    };
    serde_json::from_value(json!({
        "content_version": "v1",
        "paths": [
            path("p", vec![
                module("m1", vec![
                    activity("lezione", "lesson"), quiz("quiz", 60, questions),
                    challenge("sfida"), activity("compito", "family_task"),
                ]),
                module("m2", vec![
                    activity("lezione2", "lesson"), challenge("sfida2"),
                    activity("compito2", "family_task"),
                ]),
            ]),
            path("q", vec![module("m3", vec![quiz("quiz3", 100, ten)])]),
        ],
        "badges": [
            badge("modulo", json!({"type": "module_completed", "module": "m1"})),
            badge("percorso", json!({"type": "path_completed", "path": "p"})),
            badge("attivita", json!({"type": "activities_completed",
                "activities": ["lezione", "quiz"]})),
            badge("quiz", json!({"type": "quiz_passed", "activity": "quiz"})),
            badge("quiz3", json!({"type": "quiz_passed", "activity": "quiz3"})),
            badge("sfida-1", json!({"type": "challenges_approved", "count": 1})),
            badge("sfide-2", json!({"type": "challenges_approved", "count": 2, "path": "p"})),
            badge("famiglia-1", json!({"type": "family_tasks_confirmed", "count": 1})),
            badge("famiglie-2", json!({"type": "family_tasks_confirmed", "count": 2,
                "path": "p"})),
            badge("costanza", json!({"type": "weekly_streak", "weeks": 3})),
            badge("premio", json!({"type": "awarded"})),
        ],
        "self_assessment": {"statements": [it("s1"), it("s2")],
            "scale": [it("1"), it("2"), it("3"), it("4")]},
    }))
    .unwrap()
});

// ---- Generating events -------------------------------------------------------------------

/// RFC 3339 of `seconds` since 1970 (UTC) shown at `offset` minutes east.
fn rfc3339(seconds: i64, offset: i64) -> String {
    let local = seconds + offset * 60;
    let (days, rest) = (local.div_euclid(86_400), local.rem_euclid(86_400));
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let (h, m, s) = (rest / 3600, rest % 3600 / 60, rest % 60);
    let zone = match offset {
        0 => "Z".to_owned(),
        _ => format!(
            "{}{:02}:{:02}",
            if offset < 0 { '-' } else { '+' },
            offset.abs() / 60,
            offset.abs() % 60
        ),
    };
    format!("{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}{zone}")
}

/// Seconds since 1970 of [`NOW`].
const NOW_SECONDS: i64 = 1_795_608_000;

/// A device time (and its instant, when it has one): mostly within weeks of [`NOW`], some years
/// back, some just past the 24 hours a clock may be ahead, some far future or malformed.
fn device_time() -> impl Strategy<Value = (String, Option<i64>)> {
    let at = |seconds: i64, offset: i64| (rfc3339(seconds, offset), Some(seconds));
    let zone = prop_oneof![Just(0i64), Just(60), Just(-300), Just(330)];
    prop_oneof![
        6 => (-60 * 86_400..2 * 86_400i64, zone.clone())
            .prop_map(move |(ahead, offset)| at(NOW_SECONDS + ahead, offset)),
        2 => (-7 * 365 * 86_400..0i64, zone.clone())
            .prop_map(move |(ago, offset)| at(NOW_SECONDS + ago, offset)),
        // A clock set wrong: the 20th century, late weeks the fold keeps as one.
        1 => (-2_208_988_800..-946_684_800i64, zone.clone())
            .prop_map(move |(seconds, offset)| at(seconds, offset)),
        1 => (-2i64..=2, zone).prop_map(move |(edge, offset)| at(NOW_SECONDS + 86_400 + edge, offset)),
        1 => prop_oneof![
            Just(("9999-12-31T23:59:59Z".to_owned(), None)),
            Just(("ieri".to_owned(), None)),
            Just(("2026-11-25T10:00:00".to_owned(), None)),
        ],
    ]
}

/// An answer at `position`: often the right one to a question of [`BUNDLE`]'s quizzes there.
fn answer(position: usize) -> impl Strategy<Value = Option<Answer>> {
    let right = [
        vec![Answer::Choices(vec![1]), Answer::Number(10.0)],
        vec![Answer::Choices(vec![0, 2]), Answer::Choices(vec![2, 0, 2])],
        vec![Answer::Number(4.0), Answer::Number(4.4)],
    ];
    let right = right.get(position).cloned().unwrap_or_default();
    prop_oneof![
        1 => Just(None),
        3 => prop::sample::select(if right.is_empty() { vec![Answer::Number(4.0)] } else { right })
            .prop_map(Some),
        2 => prop::collection::vec(0..4usize, 0..4).prop_map(|c| Some(Answer::Choices(c))),
        2 => prop_oneof![Just(4.6), Just(5.0), Just(9.5), Just(-1.5)]
            .prop_map(|n| Some(Answer::Number(n))),
    ]
}

fn answers() -> impl Strategy<Value = Vec<Option<Answer>>> {
    (0..5usize).prop_flat_map(|n| (0..n).map(answer).collect::<Vec<_>>())
}

/// The knobs one event's `data` is made from; each kind reads those it needs.
#[derive(Debug, Clone)]
struct Knobs {
    /// Picks the kind among those that fit an activity, and a self-assessment's moment.
    pick: usize,
    /// A text's length: none, short, the longest allowed, one more.
    length: usize,
    stray: bool,
    answers: Vec<Option<Answer>>,
    /// A quiz's result: 0 computed from the answers, 1 with `passed` flipped, 2 with the score
    /// off by one, 3 any (for a quiz, mostly a forgery).
    forgery: usize,
    score: u8,
    passed: bool,
    photos: usize,
    scale: Vec<u8>,
}

fn knobs() -> impl Strategy<Value = Knobs> {
    (
        (
            0..4usize,
            prop_oneof![3 => Just(0usize), 3 => Just(1), 1 => Just(2), 1 => Just(3)],
            prop::bool::weighted(0.1),
        ),
        (
            answers(),
            prop_oneof![6 => Just(0usize), 1 => Just(1), 1 => Just(2), 1 => Just(3)],
        ),
        (0..=100u8, any::<bool>(), 0..5usize),
        prop::collection::vec(0..6u8, 0..4),
    )
        .prop_map(
            |((pick, length, stray), (answers, forgery), (score, passed, photos), scale)| Knobs {
                pick,
                length,
                stray,
                answers,
                forgery,
                score,
                passed,
                photos,
                scale,
            },
        )
}

fn text(length: usize, max: usize) -> Option<String> {
    [None, Some(7), Some(max), Some(max + 1)][length].map(|n| "é".repeat(n))
}

fn quiz_of(activity: Option<&str>) -> Option<&'static Quiz> {
    match &BUNDLE.activity(activity?)?.activity.details {
        Details::Quiz(quiz) => Some(quiz),
        _ => None,
    }
}

/// What a device (or a forger) puts in `data` for `kind` about `activity`.
fn data(kind: EventKind, activity: Option<&str>, k: &Knobs) -> Value {
    // The kind may depend on `pick`: values of the same event take the score as their picker.
    let pick = |values: &[&str]| values[usize::from(k.score) % values.len()].to_owned();
    let moment = ["before", "after", "poi"][k.pick % 3];
    let mut data = match kind {
        EventKind::ActivityCompleted => json!({}),
        EventKind::QuizSubmitted => {
            let (score, passed) = match (quiz_of(activity), k.forgery) {
                (Some(quiz), 0..=2) => {
                    let score = quiz.score(&k.answers);
                    match k.forgery {
                        0 => (score.percent, score.passed),
                        1 => (score.percent, !score.passed),
                        _ => (score.percent.abs_diff(1), score.passed),
                    }
                }
                _ => (k.score, k.passed),
            };
            json!({"answers": k.answers, "score": score, "passed": passed})
        }
        EventKind::ChallengeSubmitted => {
            let mut photos: Vec<String> = (1..=k.photos)
                .map(|n| format!("00000000-0000-0000-0000-00000000000{n}"))
                .collect();
            if k.stray && k.photos > 1 {
                photos[1] = photos[0].clone();
            }
            let text = text(k.length, 4000).unwrap_or_default();
            json!({"text": text, "photos": photos})
        }
        EventKind::ChallengeReviewed => json!({
            "status": pick(&["approved", "changes_requested", "approved", "ok"]),
            "comment": text(k.length, 2000),
        }),
        EventKind::FamilyTaskConfirmed => json!({
            "role": pick(&["child", "parent", "nonna"]),
            "reflection": text(k.length, 2000),
        }),
        EventKind::BadgeAwarded => json!({
            "badge_id": pick(&BADGES),
            "reason": text(k.length, 2000),
        }),
        EventKind::SelfAssessed => json!({
            "moment": moment,
            "path_id": pick(&["p", "q", "p", "marte"]),
            "answers": k.scale,
        }),
    };
    if k.stray && kind != EventKind::ChallengeSubmitted {
        data["extra"] = json!(true);
    }
    data
}

/// The kind a device records for `activity` (`pick` chooses between a challenge's two).
fn fitting(activity: Option<&str>, pick: usize) -> EventKind {
    let details = activity
        .and_then(|id| BUNDLE.activity(id))
        .map(|a| &a.activity.details);
    match (details, pick % 2) {
        (Some(Details::Lesson), _) => EventKind::ActivityCompleted,
        (Some(Details::Quiz(_)), _) => EventKind::QuizSubmitted,
        (Some(Details::Challenge(_)), 0) => EventKind::ChallengeSubmitted,
        (Some(Details::Challenge(_)), _) => EventKind::ChallengeReviewed,
        (Some(Details::FamilyTask(_)), _) => EventKind::FamilyTaskConfirmed,
        (None, 0) => EventKind::BadgeAwarded,
        (None, _) => EventKind::SelfAssessed,
    }
}

/// Event `index` (its id) about any activity, an unknown one or none, mostly of the kind that
/// fits it, else of any kind; maybe received by the server `seq`-th, from a day before its
/// device time to six weeks after it.
fn event(index: usize, seq: i64) -> impl Strategy<Value = Event> {
    (
        (
            0..ACTIVITIES.len() + 1,
            prop::option::weighted(0.3, 0..EventKind::ALL.len()),
        ),
        knobs(),
        device_time(),
        prop::option::weighted(0.7, -86_400..42 * 86_400i64),
    )
        .prop_map(move |((activity, any_kind), knobs, (at, instant), delay)| {
            let activity = ACTIVITIES.get(activity).copied();
            let kind =
                any_kind.map_or_else(|| fitting(activity, knobs.pick), |k| EventKind::ALL[k]);
            let data = data(kind, activity, &knobs);
            let id = Uuid::from_u128(index as u128);
            let mut event = Event::with_data(id, kind, activity, at, data);
            event.received = delay.map(|delay| Received {
                seq,
                at: rfc3339(instant.unwrap_or(NOW_SECONDS) + delay, 0),
            });
            event
        })
}

fn events() -> impl Strategy<Value = Vec<Event>> {
    (1..80usize)
        .prop_flat_map(|n| Just((1..=n as i64).collect::<Vec<_>>()).prop_shuffle())
        .prop_flat_map(|seqs| {
            seqs.into_iter()
                .enumerate()
                .map(|(index, seq)| event(index, seq))
                .collect::<Vec<_>>()
        })
}

// ---- What the accepted events mean, recomputed ------------------------------------------

/// A quiz's grading, written again from its definition: a choice question is right with
/// exactly its right options, a number within its tolerance; whole percent, rounded down.
fn passes(quiz: &Quiz, answers: &[Option<Answer>]) -> bool {
    let right = quiz
        .questions
        .iter()
        .enumerate()
        .filter(|(i, question)| match (question, answers.get(*i)) {
            (
                Question::Single { options, .. } | Question::Multiple { options, .. },
                Some(Some(Answer::Choices(chosen))),
            ) => {
                let mut chosen = chosen.clone();
                chosen.sort_unstable();
                chosen.dedup();
                let correct: Vec<usize> =
                    (0..options.len()).filter(|&o| options[o].correct).collect();
                chosen == correct
            }
            (
                Question::Number {
                    answer, tolerance, ..
                },
                Some(Some(Answer::Number(given))),
            ) => (given - answer).abs() <= tolerance + 1e-9,
            _ => false,
        })
        .count();
    let total = quiz.questions.len();
    total > 0 && right * 100 / total >= usize::from(quiz.pass_mark)
}

/// The accepted events, each with what it says.
struct Meaning<'a> {
    accepted: Vec<(&'a Event, Payload)>,
}

impl<'a> Meaning<'a> {
    fn of(log: &'a EventLog) -> Self {
        let accepted = log
            .iter()
            .filter_map(|e| judge(e, &BUNDLE).ok().map(|payload| (e, payload)))
            .collect();
        Self { accepted }
    }

    fn about(&self, activity: &str) -> impl Iterator<Item = &(&'a Event, Payload)> {
        self.accepted
            .iter()
            .filter(move |(e, _)| e.activity_id.as_deref() == Some(activity))
    }

    /// Whether `event` (accepted) does `activity` by itself or as one of its parts.
    fn does(&self, activity: &str, payload: &Payload) -> bool {
        let details = &BUNDLE.activity(activity).unwrap().activity.details;
        match (details, payload) {
            (Details::Lesson, Payload::Completed) => true,
            (Details::Quiz(quiz), Payload::Quiz(attempt)) => passes(quiz, &attempt.answers),
            (Details::Challenge(_), Payload::Submission(_)) => true,
            (Details::Challenge(_), Payload::Review(_)) => self.approved(activity),
            (Details::FamilyTask(_), Payload::Family(_)) => true,
            _ => false,
        }
    }

    fn done(&self, activity: &str) -> bool {
        match &BUNDLE.activity(activity).unwrap().activity.details {
            Details::FamilyTask(_) => {
                let roles: Vec<_> = self
                    .about(activity)
                    .filter_map(|(_, p)| match p {
                        Payload::Family(c) => Some(c.role),
                        _ => None,
                    })
                    .collect();
                roles.contains(&FamilyRole::Child) && roles.contains(&FamilyRole::Parent)
            }
            // Waiting for a review, or approved: not while changes are asked for.
            Details::Challenge(_) => {
                matches!(self.latest(activity), Some((_, Payload::Submission(_))))
                    || self.approved(activity)
            }
            _ => {
                self.about(activity).any(|(_, p)| self.does(activity, p)) || self.approved(activity)
            }
        }
    }

    /// The latest review by the server's receipt (events not yet received after every received
    /// one, among themselves by device time) approves, and no version came after it.
    fn approved(&self, activity: &str) -> bool {
        matches!(self.latest(activity), Some((_, Payload::Review(r))) if r.verdict == Verdict::Approved)
    }

    /// The latest submission or review of a challenge, by the server's receipt.
    fn latest(&self, activity: &str) -> Option<&(&'a Event, Payload)> {
        let by_receipt = |a: &&(&Event, Payload), b: &&(&Event, Payload)| -> Ordering {
            let key = |e: &Event| e.received.as_ref().map(|r| r.seq);
            match (key(a.0), key(b.0)) {
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => time::chronological(&a.0.at, a.0.id, &b.0.at, b.0.id),
            }
        };
        self.about(activity)
            .filter(|(_, p)| matches!(p, Payload::Submission(_) | Payload::Review(_)))
            .max_by(by_receipt)
    }

    fn activities_of(&self, path: Option<&str>) -> Vec<&'static str> {
        BUNDLE
            .paths
            .iter()
            .filter(|p| path.is_none_or(|id| p.id == id))
            .flat_map(|p| p.activities())
            .map(|a| a.id.as_str())
            .collect()
    }

    /// Whether the criterion is met, and which activities' events may be its evidence.
    fn met(&self, criteria: &'static Criteria) -> (bool, Vec<&'static str>) {
        let kind_in = |path: &Option<String>, challenge: bool| -> Vec<&'static str> {
            self.activities_of(path.as_deref())
                .into_iter()
                .filter(|id| {
                    let details = &BUNDLE.activity(id).unwrap().activity.details;
                    match challenge {
                        true => matches!(details, Details::Challenge(_)),
                        false => matches!(details, Details::FamilyTask(_)),
                    }
                })
                .collect()
        };
        let all = |ids: Vec<&'static str>| (ids.iter().all(|id| self.done(id)), ids);
        match criteria {
            Criteria::ActivitiesCompleted { activities } => {
                all(activities.iter().map(String::as_str).collect())
            }
            Criteria::ModuleCompleted { module } => {
                let module = BUNDLE.module(module).unwrap();
                all(module.activities.iter().map(|a| a.id.as_str()).collect())
            }
            Criteria::PathCompleted { path } => all(self.activities_of(Some(path))),
            Criteria::QuizPassed { activity } => all(vec![activity.as_str()]),
            Criteria::ChallengesApproved { count, path } => {
                let ids = kind_in(path, true);
                let have = ids.iter().filter(|id| self.approved(id)).count();
                (have >= *count as usize, ids)
            }
            Criteria::FamilyTasksConfirmed { count, path } => {
                let ids = kind_in(path, false);
                let have = ids.iter().filter(|id| self.done(id)).count();
                (have >= *count as usize, ids)
            }
            Criteria::WeeklyStreak { .. } | Criteria::Awarded => unreachable!("checked apart"),
        }
    }

    fn find(&self, id: Uuid) -> Option<&(&'a Event, Payload)> {
        self.accepted.iter().find(|(e, _)| e.id == id)
    }
}

/// A person's own action that reached the server within the streak window (or has not yet).
fn counts_toward_a_streak(event: &Event, payload: &Payload) -> bool {
    let own = matches!(
        payload,
        Payload::Completed
            | Payload::Quiz(_)
            | Payload::Submission(_)
            | Payload::Family(_)
            | Payload::SelfAssessed(_)
    );
    let in_time = event.received.as_ref().is_none_or(|r| {
        time::seconds_between(&event.at, &r.at).is_some_and(|s| s <= STREAK_WINDOW_DAYS * 86_400)
    });
    own && in_time
}

/// Weeks in a row, at most one of them missed.
fn is_streak(weeks: &[i64]) -> bool {
    let gaps: Vec<i64> = weeks.windows(2).map(|w| w[1] - w[0]).collect();
    gaps.iter().all(|&g| g == 1 || g == 2) && gaps.iter().filter(|&&g| g == 2).count() <= 1
}

/// `on` is the device time of the latest of the earning events.
fn on_is_the_latest(earned: &Earned, events: &[&Event]) -> bool {
    events
        .iter()
        .map(|e| e.at.as_str())
        .max_by(|a, b| time::compare(a, b))
        .is_some_and(|latest| latest == earned.on)
}

proptest! {
    #[test]
    fn every_accepted_event_round_trips_through_its_payload(events in events()) {
        // Checked on push at NOW, and judged as stored (against the server's receipt).
        let checked = |e: &Event| check(e, serde_json::to_vec(e).unwrap().len(), &BUNDLE, NOW);
        let judged = |e: &Event| judge(e, &BUNDLE);
        for event in &events {
            let receipt = event.received.as_ref().map(|r| r.at.as_str());
            for (rule, clock) in [(&checked as &dyn Fn(&Event) -> _, Some(NOW)), (&judged, receipt)] {
                let Ok(payload) = rule(event) else { continue };
                prop_assert_eq!(payload.kind(), event.kind);
                prop_assert_eq!(&event.payload(), &Some(payload.clone()));
                // Nothing in `data` that the payload does not carry (but empty optional fields).
                let carried = payload.to_value();
                for (field, value) in event.data().as_object().unwrap() {
                    let empty = value.is_null() || value == &json!([]);
                    prop_assert!(carried.get(field) == Some(value) || empty, "{}", field);
                }
                // A valid time, at most a day ahead of the clock it was judged against.
                let ahead = time::seconds_between(clock.unwrap_or(&event.at), &event.at);
                prop_assert!(ahead.is_some_and(|s| s <= 86_400), "{}", &event.at);
                prop_assert_eq!(Payload::read(event.kind, &payload.to_value()), Some(payload.clone()));
                let mut again =
                    Event::new(event.id, event.activity_id.as_deref(), event.at.clone(), &payload);
                prop_assert_eq!(again.payload(), Some(payload.clone()));
                again.received = event.received.clone();
                prop_assert_eq!(rule(&again), Ok(payload));
            }
        }
    }

    #[test]
    fn no_badge_is_earned_without_what_it_means(events in events()) {
        let mut log = EventLog::default();
        log.merge(events);
        let meaning = Meaning::of(&log);
        // Core's grading agrees with the definition on every accepted attempt.
        for (event, payload) in &meaning.accepted {
            if let (Payload::Quiz(attempt), Some(quiz)) = (payload, quiz_of(event.activity_id.as_deref())) {
                prop_assert_eq!(attempt.passed, passes(quiz, &attempt.answers), "{:?}", event);
            }
        }
        let fold = Fold::of(&Judged::of(&log, &BUNDLE));
        let progress = Progress::of(&fold);
        for status in evaluate(&BUNDLE, &fold, &progress) {
            let badge = status.badge;
            let earned = status.outcome.as_ref().ok();
            let evidence: Vec<&(&Event, Payload)> = earned
                .map(|e| e.events.iter().filter_map(|id| meaning.find(*id)).collect())
                .unwrap_or_default();
            if let Some(earned) = earned {
                prop_assert_eq!(evidence.len(), earned.events.len(), "{}: refused evidence", &badge.id);
                let events: Vec<&Event> = evidence.iter().map(|(e, _)| *e).collect();
                prop_assert!(on_is_the_latest(earned, &events), "{}: {:?}", &badge.id, earned);
            }
            match &badge.criteria {
                Criteria::WeeklyStreak { weeks } => {
                    let Some(earned) = earned else { continue };
                    let mut counted: Vec<i64> = Vec::new();
                    for (event, payload) in &evidence {
                        prop_assert!(counts_toward_a_streak(event, payload), "{:?}", event);
                        counted.push(time::week_of(&event.at).unwrap());
                    }
                    counted.sort_unstable();
                    counted.dedup();
                    prop_assert_eq!(counted.len(), *weeks as usize, "{:?}", earned);
                    prop_assert!(is_streak(&counted), "{:?}", counted);
                }
                Criteria::Awarded => {
                    let awarded = meaning.accepted.iter().any(|(e, p)| {
                        e.activity_id.is_none()
                            && matches!(p, Payload::Award(a) if a.badge_id == badge.id)
                    });
                    prop_assert_eq!(earned.is_some(), awarded, "{}", &badge.id);
                }
                criteria => {
                    let (met, activities) = meaning.met(criteria);
                    prop_assert_eq!(earned.is_some(), met, "{}", &badge.id);
                    for (event, payload) in &evidence {
                        let activity = event.activity_id.as_deref().unwrap();
                        prop_assert!(activities.contains(&activity), "{}: {:?}", &badge.id, event);
                        prop_assert!(meaning.does(activity, payload), "{}: {:?}", &badge.id, event);
                    }
                }
            }
        }
    }

    #[test]
    fn folding_one_event_at_a_time_in_any_order_gives_the_summary_of_the_log(
        (events, arrival) in events().prop_flat_map(|e| (Just(e.clone()), Just(e).prop_shuffle())),
        authors in prop::collection::vec(0..AUTHORS.len(), 80),
    ) {
        let owner = Some("luna");
        let mut log = EventLog::default();
        log.merge(events.into_iter().map(|e| authored(e, &authors)));
        let whole = Summary::of(&Judged::of(&log, &BUNDLE).owned_by(owner));
        let mut summary = Summary::new(owner);
        for event in arrival.into_iter().map(|e| authored(e, &authors)) {
            if let Ok(payload) = judge(&event, &BUNDLE) {
                summary.add(&event, &payload);
            }
        }
        prop_assert_eq!(&summary, &whole);
        prop_assert_eq!(&whole.fold, &Fold::of(&Judged::of(&log, &BUNDLE).owned_by(owner)));

        // A device starts from the events the fold rests on: they alone give the same fold.
        let witnesses = whole.fold.witnesses();
        let mut kept = EventLog::default();
        kept.merge(log.iter().filter(|e| witnesses.contains(&e.id)).cloned());
        prop_assert_eq!(&Fold::of(&Judged::of(&kept, &BUNDLE).owned_by(owner)), &whole.fold);
    }
}

/// Who may have written an event in Luna's log: her device before she joined, Luna, her mother.
const AUTHORS: [Option<&str>; 3] = [None, Some("luna"), Some("mum")];

/// The event with the author `authors` picks for its id.
fn authored(mut event: Event, authors: &[usize]) -> Event {
    event.user_id = AUTHORS[authors[event.id.as_u128() as usize]].map(str::to_owned);
    event
}
