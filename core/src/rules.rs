//! The one check of an event against the programme: the server runs it on every push, the app
//! before it records, and progress, badges and reports judge stored events by it. What a device
//! says is never taken on its word: the kind must fit the activity, a quiz's result must follow
//! from its answers, `data` must be exactly its kind's fields, and device time must be sane.

use crate::content::{ActivityKind, Bundle, Details};
use crate::events::{Event, EventKind};
use crate::payload::{MAX_EVENT_BYTES, Payload};
use crate::self_assessment;
use crate::time;

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
    judge_at(event, bundle, Some(now))
}

/// What a stored event means for the programme, judged by the same rules as on push (against
/// the server's receipt, once the device knows it), or why it would be refused today.
pub fn judge(event: &Event, bundle: &Bundle) -> Result<Payload, Rejection> {
    judge_at(
        event,
        bundle,
        event.received.as_ref().map(|r| r.at.as_str()),
    )
}

fn judge_at(event: &Event, bundle: &Bundle, now: Option<&str>) -> Result<Payload, Rejection> {
    if !time::is_valid(&event.at) {
        return Err(Rejection::InvalidTime);
    }
    let ahead = now.and_then(|now| time::seconds_between(now, &event.at));
    if ahead.is_some_and(|seconds| seconds > MAX_AHEAD_SECONDS) {
        return Err(Rejection::FutureTime);
    }
    let payload = event.payload().map_err(|_| Rejection::InvalidData)?;
    fits_programme(event, &payload, bundle)?;
    Ok(payload)
}

/// The payload names what the programme has, and the kind fits the activity it is about.
fn fits_programme(event: &Event, payload: &Payload, bundle: &Bundle) -> Result<(), Rejection> {
    let activity = event.activity_id.as_deref();
    match payload {
        Payload::SelfAssessed(answers) => {
            if activity.is_some() {
                return Err(Rejection::InvalidData);
            }
            return answers.fits(bundle).map_err(|rejection| match rejection {
                self_assessment::Rejection::UnknownPath => Rejection::UnknownPath,
                self_assessment::Rejection::Invalid => Rejection::InvalidSelfAssessment,
            });
        }
        Payload::Award(award) => {
            return match bundle.badges.iter().any(|b| b.id == award.badge_id) {
                true if activity.is_none() => Ok(()),
                true => Err(Rejection::InvalidData),
                false => Err(Rejection::UnknownBadge),
            };
        }
        _ => {}
    }
    let activity = activity
        .and_then(|id| bundle.activity(id))
        .ok_or(Rejection::UnknownActivity)?
        .activity;
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
