//! The one check of an event against the programme: the server runs it on every push, the app
//! before it records, and progress, badges and reports judge stored events by it. What a device
//! says is never taken on its word: the kind must fit the activity, a quiz's result must follow
//! from its answers, `data` must be exactly its kind's fields, and device time must be sane.

use crate::account::Role;
use crate::content::{Activity, ActivityKind, Bundle, Details};
use crate::events::{Event, EventKind, EventLog};
use crate::payload::{Answers, FamilyRole, MAX_EVENT_BYTES, Payload, SCALE_POINTS};
use crate::time;
use std::collections::BTreeMap;

/// How far ahead of the server's clock a device's clock may be (time zones set wrong included).
pub const MAX_AHEAD_SECONDS: i64 = 24 * 3600;

/// Why an event is refused; [`Rejection::code`] is the reason the server answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rejection {
    /// The kind does not fit the activity (a lesson completed by a quiz event, a quiz "completed"…).
    WrongKind,
    /// A quiz attempt's `score` or `passed` is not what its answers give.
    ScoreMismatch,
    /// `data` is not exactly the fields its kind allows, within their limits.
    InvalidData,
    /// The event's JSON is longer than [`MAX_EVENT_BYTES`].
    TooLarge,
    /// The device time is not an RFC 3339 instant.
    InvalidTime,
    /// The device time is more than [`MAX_AHEAD_SECONDS`] ahead of the receiving clock.
    FutureTime,
    UnknownActivity,
    UnknownBadge,
    UnknownPath,
    /// Self-assessment answers that do not fit the programme's questionnaire.
    InvalidSelfAssessment,
    /// A family-task confirmation in a role other than its author's.
    WrongRole,
}

impl Rejection {
    pub fn code(self) -> &'static str {
        match self {
            Self::WrongKind => "wrong_kind",
            Self::ScoreMismatch => "score_mismatch",
            Self::InvalidData => "invalid_data",
            Self::TooLarge => "too_large",
            Self::InvalidTime => "invalid_time",
            Self::FutureTime => "future_time",
            Self::UnknownActivity => "unknown_activity",
            Self::UnknownBadge => "unknown_badge",
            Self::UnknownPath => "unknown_path",
            Self::InvalidSelfAssessment => "invalid_self_assessment",
            Self::WrongRole => "wrong_role",
        }
    }
}

/// Checks a new event, `bytes` long as sent, received at `now` (the server's clock on push, the
/// device's before it records), and gives what it says.
pub fn check(
    event: &Event,
    bytes: usize,
    bundle: &Bundle,
    now: &str,
) -> Result<Payload, Rejection> {
    if bytes > MAX_EVENT_BYTES {
        return Err(Rejection::TooLarge);
    }
    judge_at(event, bundle, activity_of(event, bundle), Some(now))
}

/// A family task is confirmed once by the young person and once by a parent, each from their own
/// account: a learner cannot confirm in the parent's place, nor a parent in the child's.
pub fn fits_role(author: Role, payload: &Payload) -> Result<(), Rejection> {
    match (author, payload) {
        (Role::Learner, Payload::Family(c)) if c.role == FamilyRole::Child => Ok(()),
        (Role::Parent, Payload::Family(c)) if c.role == FamilyRole::Parent => Ok(()),
        (_, Payload::Family(_)) => Err(Rejection::WrongRole),
        _ => Ok(()),
    }
}

/// What a stored event means for the programme, judged by the same rules as on push (against
/// the server's receipt, once the device knows it), or why it would be refused today.
pub fn judge(event: &Event, bundle: &Bundle) -> Result<Payload, Rejection> {
    judge_at(event, bundle, activity_of(event, bundle), receipt(event))
}

/// A log as the rules read it: each event the programme accepts, with what it says, judged once.
/// Progress, streaks and badges all read this rather than the raw log.
pub struct Judged<'a> {
    events: Vec<(&'a Event, Payload)>,
    /// Whose log it is, when it holds others' events too (a linked relative's confirmations).
    owner: Option<String>,
}

impl<'a> Judged<'a> {
    pub fn of(log: &'a EventLog, bundle: &Bundle) -> Self {
        let judge = Judge::new(bundle);
        let events = log
            .iter()
            .filter_map(|event| Some((event, judge.judge(event).ok()?)))
            .collect();
        Self {
            events,
            owner: None,
        }
    }

    /// The log of `owner`: only their own events are their doing (see [`Judged::own`]).
    pub fn owned_by(mut self, owner: Option<&str>) -> Self {
        self.owner = owner.map(str::to_owned);
        self
    }

    /// Whose log it is, when it holds others' events too.
    pub fn owner(&self) -> Option<&str> {
        self.owner.as_deref()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&'a Event, &Payload)> {
        self.events.iter().map(|(event, payload)| (*event, payload))
    }
}

/// [`judge`] for many events: the programme's activities are found by id once, as searching the
/// bundle for each event was most of judging's cost.
pub struct Judge<'b> {
    bundle: &'b Bundle,
    activities: BTreeMap<&'b str, &'b Activity>,
}

impl<'b> Judge<'b> {
    pub fn new(bundle: &'b Bundle) -> Self {
        let mut activities = BTreeMap::new();
        for activity in bundle.paths.iter().flat_map(|p| p.activities()) {
            activities.entry(activity.id.as_str()).or_insert(activity);
        }
        Self { bundle, activities }
    }

    pub fn judge(&self, event: &Event) -> Result<Payload, Rejection> {
        self.judge_received(event, receipt(event))
    }

    /// As if the server had received the event at `at` (`None`: not yet).
    pub fn judge_received(&self, event: &Event, at: Option<&str>) -> Result<Payload, Rejection> {
        let activity = event
            .activity_id
            .as_deref()
            .and_then(|id| self.activities.get(id));
        judge_at(event, self.bundle, activity.copied(), at)
    }
}

fn activity_of<'b>(event: &Event, bundle: &'b Bundle) -> Option<&'b Activity> {
    let found = bundle.activity(event.activity_id.as_deref()?)?;
    Some(found.activity)
}

/// The server's time of receipt, once the device knows it.
fn receipt(event: &Event) -> Option<&str> {
    event.received.as_ref().map(|r| r.at.as_str())
}

fn judge_at(
    event: &Event,
    bundle: &Bundle,
    activity: Option<&Activity>,
    now: Option<&str>,
) -> Result<Payload, Rejection> {
    // Measuring how far ahead a time is parses it: only without a clock to compare with is it
    // parsed just to check it (this runs for every event of every log).
    let ahead = now.and_then(|now| time::seconds_between(now, &event.at));
    if ahead.is_none() && !time::is_valid(&event.at) {
        return Err(Rejection::InvalidTime);
    }
    if ahead.is_some_and(|seconds| seconds > MAX_AHEAD_SECONDS) {
        return Err(Rejection::FutureTime);
    }
    let payload = event.payload().ok_or(Rejection::InvalidData)?;
    fits_programme(event, &payload, bundle, activity)?;
    Ok(payload)
}

/// Self-assessment answers name a path of the programme and fit its questionnaire.
fn fits_questionnaire(answers: &Answers, bundle: &Bundle) -> Result<(), Rejection> {
    if bundle.path(&answers.path_id).is_none() {
        return Err(Rejection::UnknownPath);
    }
    let statements = bundle.self_assessment.statements.len();
    let fits = statements > 0
        && answers.answers.len() == statements
        && answers
            .answers
            .iter()
            .all(|a| (1..=SCALE_POINTS).contains(&usize::from(*a)));
    fits.then_some(()).ok_or(Rejection::InvalidSelfAssessment)
}

/// The payload names what the programme has, and the kind fits the activity it is about.
fn fits_programme(
    event: &Event,
    payload: &Payload,
    bundle: &Bundle,
    activity: Option<&Activity>,
) -> Result<(), Rejection> {
    let names_activity = event.activity_id.is_some();
    match payload {
        Payload::SelfAssessed(answers) => {
            if names_activity {
                return Err(Rejection::InvalidData);
            }
            return fits_questionnaire(answers, bundle);
        }
        Payload::Award(award) => {
            return match bundle.badges.iter().any(|b| b.id == award.badge_id) {
                true if !names_activity => Ok(()),
                true => Err(Rejection::InvalidData),
                false => Err(Rejection::UnknownBadge),
            };
        }
        _ => {}
    }
    let activity = activity.ok_or(Rejection::UnknownActivity)?;
    let fits = match (event.kind, &activity.details) {
        (EventKind::ActivityCompleted, Details::Lesson) => true,
        (EventKind::QuizSubmitted, Details::Quiz(quiz)) => {
            let Payload::Quiz(attempt) = payload else {
                return Err(Rejection::InvalidData);
            };
            if attempt.answers.len() > quiz.questions.len() {
                return Err(Rejection::InvalidData);
            }
            let score = quiz.score(&attempt.answers);
            if (score.percent, score.passed) != (attempt.score, attempt.passed) {
                return Err(Rejection::ScoreMismatch);
            }
            true
        }
        (EventKind::ChallengeSubmitted | EventKind::ChallengeReviewed, _) => {
            activity.kind() == ActivityKind::Challenge
        }
        (EventKind::FamilyTaskConfirmed, _) => activity.kind() == ActivityKind::FamilyTask,
        _ => false,
    };
    fits.then_some(()).ok_or(Rejection::WrongKind)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::badges::tests::with_badges;
    use crate::content::Criteria;
    use crate::events::Received;
    use crate::events::tests::activity_event;
    use crate::payload::{Answers, Moment};
    use crate::payload::{
        Award, Confirmation, FamilyRole, MAX_COMMENT, MAX_PHOTOS, MAX_SUBMISSION_TEXT, Review,
        Submission, Verdict,
    };
    use crate::testing::{confirmation, every_kind, finishing, review};
    use serde_json::{Value, json};
    use uuid::Uuid;

    const NOW: &str = "2026-11-25T12:00:00Z";
    const AT: &str = "2026-11-25T10:00:00Z";

    /// Every kind of activity (see [`every_kind`]) and a badge, `b0`, awarded by hand.
    fn bundle() -> Bundle {
        let mut bundle = every_kind();
        bundle.badges = with_badges(vec![Criteria::Awarded]).badges;
        bundle
    }

    /// The check of `event` as a device sends it, received at [`NOW`].
    fn checked(event: &Event) -> Result<Payload, Rejection> {
        let bytes = serde_json::to_vec(event).unwrap().len();
        check(event, bytes, &bundle(), NOW)
    }

    fn refused(event: &Event) -> &'static str {
        checked(event).unwrap_err().code()
    }

    fn event(kind: EventKind, activity: &str, data: Value) -> Event {
        activity_event(1, kind, activity, AT, data)
    }

    fn new(activity: Option<&str>, payload: Payload) -> Event {
        Event::new(Uuid::from_u128(1), activity, AT.into(), &payload)
    }

    fn submission(text: String, photos: usize) -> Payload {
        let photos = (1..=photos)
            .map(|n| format!("00000000-0000-0000-0000-00000000000{n}"))
            .collect();
        Payload::Submission(Submission { text, photos })
    }

    fn assessed(path: &str, answers: &[u8]) -> Event {
        let answers = Answers {
            path_id: path.into(),
            moment: Moment::Before,
            answers: answers.to_vec(),
        };
        answers.event(Uuid::from_u128(1), AT.into())
    }

    #[test]
    fn what_a_device_may_record_is_accepted_and_read() {
        let bundle = bundle();
        let award = Payload::Award(Award {
            badge_id: "b0".into(),
            reason: Some("Aiuta gli altri".into()),
        });
        let reflection = Payload::Family(Confirmation {
            role: FamilyRole::Parent,
            reflection: Some("r".repeat(MAX_COMMENT)),
        });
        for event in [
            finishing(&bundle, 1, "orbite-intro", AT),
            finishing(&bundle, 1, "orbite-quiz", AT),
            finishing(&bundle, 1, "sfida", AT),
            finishing(&bundle, 1, "compito", AT),
            confirmation(1, "compito", AT, FamilyRole::Parent),
            review(1, "sfida", AT, Verdict::ChangesRequested),
            new(None, award),
            new(Some("compito"), reflection),
            new(
                Some("sfida"),
                submission("t".repeat(MAX_SUBMISSION_TEXT), MAX_PHOTOS),
            ),
            assessed("space-camp", &[1, 4]),
            // A failed attempt is an attempt: accepted, it does not pass the quiz.
            event(
                EventKind::QuizSubmitted,
                "orbite-quiz",
                json!({"answers": [100], "score": 0, "passed": false}),
            ),
        ] {
            assert_eq!(checked(&event), Ok(event.payload().unwrap()), "{event:?}");
            assert_eq!(judge(&event, &bundle), checked(&event), "{event:?}");
        }
    }

    #[test]
    fn the_kind_must_fit_the_activity() {
        let completed =
            |activity| Event::activity_completed(Uuid::from_u128(1), activity, AT.into());
        for activity in ["orbite-quiz", "sfida", "compito"] {
            assert_eq!(refused(&completed(activity)), "wrong_kind", "{activity}");
        }
        let attempt = json!({"answers": [], "score": 0, "passed": false});
        let wrong = [
            event(EventKind::QuizSubmitted, "orbite-intro", attempt.clone()),
            event(EventKind::QuizSubmitted, "sfida", attempt),
            review(1, "orbite-intro", AT, Verdict::Approved),
            review(1, "orbite-quiz", AT, Verdict::Approved),
            review(1, "compito", AT, Verdict::Approved),
            new(Some("orbite-intro"), submission("x".into(), 0)),
            new(Some("compito"), submission("x".into(), 0)),
            confirmation(1, "orbite-intro", AT, FamilyRole::Child),
            confirmation(1, "sfida", AT, FamilyRole::Parent),
        ];
        for event in wrong {
            assert_eq!(refused(&event), "wrong_kind", "{event:?}");
        }
    }

    #[test]
    fn a_quiz_result_must_follow_from_its_answers() {
        let quiz = |data| event(EventKind::QuizSubmitted, "orbite-quiz", data);
        // The ISS flies at 400 km (± 30); the quiz passes at 60 %.
        for data in [
            json!({"answers": [100], "score": 0, "passed": true}),
            json!({"answers": [100], "score": 100, "passed": true}),
            json!({"answers": [400], "score": 99, "passed": true}),
            json!({"answers": [400], "score": 100, "passed": false}),
            json!({"answers": [], "score": 100, "passed": true}),
            json!({"answers": [null], "score": 0, "passed": true}),
        ] {
            assert_eq!(refused(&quiz(data.clone())), "score_mismatch", "{data}");
        }
        let right = json!({"answers": [430], "score": 100, "passed": true});
        assert!(checked(&quiz(right)).is_ok(), "within the tolerance");
    }

    #[test]
    fn data_must_be_exactly_the_fields_of_its_kind_within_their_limits() {
        let long = |max: usize| "x".repeat(max + 1);
        let refused_data = [
            event(
                EventKind::ActivityCompleted,
                "orbite-intro",
                json!({"score": 100}),
            ),
            event(EventKind::ActivityCompleted, "orbite-intro", Value::Null),
            event(
                EventKind::QuizSubmitted,
                "orbite-quiz",
                json!({"answers": [400], "score": 100, "passed": true, "time": 3}),
            ),
            // One answer more than the quiz has questions, even if the score fits.
            event(
                EventKind::QuizSubmitted,
                "orbite-quiz",
                json!({"answers": [400, 400], "score": 100, "passed": true}),
            ),
            new(Some("sfida"), submission(long(MAX_SUBMISSION_TEXT), 0)),
            new(Some("sfida"), submission("x".into(), MAX_PHOTOS + 1)),
            event(EventKind::ChallengeSubmitted, "sfida", json!({})),
            new(
                Some("compito"),
                Payload::Family(Confirmation {
                    role: FamilyRole::Child,
                    reflection: Some(long(MAX_COMMENT)),
                }),
            ),
            new(
                Some("sfida"),
                Payload::Review(Review {
                    verdict: Verdict::Approved,
                    comment: Some(long(MAX_COMMENT)),
                }),
            ),
            event(
                EventKind::FamilyTaskConfirmed,
                "compito",
                json!({"role": "nonna"}),
            ),
            // An award and a self-assessment are about no activity.
            new(
                Some("orbite-intro"),
                Payload::Award(Award {
                    badge_id: "b0".into(),
                    reason: None,
                }),
            ),
            {
                let mut event = assessed("space-camp", &[1, 2]);
                event.activity_id = Some("orbite-intro".into());
                event
            },
        ];
        for event in refused_data {
            assert_eq!(refused(&event), "invalid_data", "{event:?}");
        }
    }

    #[test]
    fn an_event_longer_than_32_kib_as_sent_is_too_large() {
        let bundle = bundle();
        let event = finishing(&bundle, 1, "orbite-intro", AT);
        let check = |bytes| check(&event, bytes, &bundle, NOW);
        assert_eq!(check(MAX_EVENT_BYTES), Ok(Payload::Completed));
        assert_eq!(check(MAX_EVENT_BYTES + 1), Err(Rejection::TooLarge));
        assert_eq!(Rejection::TooLarge.code(), "too_large");
        // Texts within their limits fit: the longest submission is far below the limit.
        let longest = new(
            Some("sfida"),
            submission("è".repeat(MAX_SUBMISSION_TEXT), 3),
        );
        assert!(serde_json::to_vec(&longest).unwrap().len() < MAX_EVENT_BYTES);
        assert!(checked(&longest).is_ok());
    }

    #[test]
    fn device_time_must_be_an_instant_at_most_a_day_ahead() {
        let bundle = bundle();
        let at =
            |at: &str| Event::activity_completed(Uuid::from_u128(1), "orbite-intro", at.into());
        for bad in ["ieri", "2026-11-25T10:00:00", "2026-11-25", ""] {
            assert_eq!(refused(&at(bad)), "invalid_time", "{bad}");
            assert_eq!(
                judge(&at(bad), &bundle),
                Err(Rejection::InvalidTime),
                "{bad}"
            );
        }
        // NOW is 2026-11-25T12:00:00Z.
        for ahead in [
            "2026-11-26T12:00:01Z",
            "2026-11-26T13:00:01+01:00",
            "9999-12-31T23:59:59Z",
        ] {
            assert_eq!(refused(&at(ahead)), "future_time", "{ahead}");
        }
        for fine in [
            "2026-11-26T12:00:00Z",
            "2026-11-26T13:00:00+01:00",
            "2026-11-26T11:59:59.999Z",
            "2020-01-06T10:00:00Z",
        ] {
            assert_eq!(checked(&at(fine)), Ok(Payload::Completed), "{fine}");
        }
        // A stored event is judged against the server's receipt, once the device knows it.
        let mut stored = at("2026-11-26T12:00:01Z");
        assert_eq!(
            judge(&stored, &bundle),
            Ok(Payload::Completed),
            "no receipt yet"
        );
        stored.received = Some(Received {
            seq: 1,
            at: NOW.into(),
        });
        assert_eq!(judge(&stored, &bundle), Err(Rejection::FutureTime));
    }

    #[test]
    fn what_the_event_names_must_be_in_the_programme() {
        let completed = Event::activity_completed(Uuid::from_u128(1), "nessuna", AT.into());
        assert_eq!(refused(&completed), "unknown_activity");
        let bundle = bundle();
        let mut nowhere = finishing(&bundle, 1, "orbite-intro", AT);
        nowhere.activity_id = None;
        assert_eq!(refused(&nowhere), "unknown_activity");
        let award = Payload::Award(Award {
            badge_id: "nessuno".into(),
            reason: None,
        });
        assert_eq!(refused(&new(None, award)), "unknown_badge");
        assert_eq!(refused(&assessed("marte", &[1, 2])), "unknown_path");
        for answers in [&[][..], &[1], &[1, 2, 3], &[0, 2], &[2, 5]] {
            let event = assessed("space-camp", answers);
            assert_eq!(refused(&event), "invalid_self_assessment", "{answers:?}");
        }
    }

    #[test]
    fn each_rejection_has_its_code() {
        let codes: Vec<&str> = [
            Rejection::WrongKind,
            Rejection::ScoreMismatch,
            Rejection::InvalidData,
            Rejection::TooLarge,
            Rejection::InvalidTime,
            Rejection::FutureTime,
            Rejection::UnknownActivity,
            Rejection::UnknownBadge,
            Rejection::UnknownPath,
            Rejection::InvalidSelfAssessment,
        ]
        .into_iter()
        .map(Rejection::code)
        .collect();
        assert_eq!(
            codes,
            [
                "wrong_kind",
                "score_mismatch",
                "invalid_data",
                "too_large",
                "invalid_time",
                "future_time",
                "unknown_activity",
                "unknown_badge",
                "unknown_path",
                "invalid_self_assessment"
            ]
        );
    }

    #[test]
    fn a_family_task_is_confirmed_in_the_authors_own_role() {
        use crate::account::Role;
        let confirm = |role| confirmation(1, "compito", AT, role).payload().unwrap();
        let (child, parent) = (confirm(FamilyRole::Child), confirm(FamilyRole::Parent));
        assert_eq!(fits_role(Role::Learner, &child), Ok(()));
        assert_eq!(fits_role(Role::Parent, &parent), Ok(()));
        for (author, payload) in [
            (Role::Learner, &parent),
            (Role::Parent, &child),
            (Role::Educator, &child),
        ] {
            let refused = fits_role(author, payload).unwrap_err();
            assert_eq!(refused.code(), "wrong_role", "{author:?}");
        }
        assert_eq!(fits_role(Role::Parent, &Payload::Completed), Ok(()));
    }
}
