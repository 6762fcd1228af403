//! Where a learner's challenge stands: open, waiting for an educator, approved, or back with
//! changes requested. Read from the log, so it follows every synced review.

use crate::photos::photo_ids;
use officina_core::events::{Event, EventKind, EventLog};
use officina_core::progress::{Stamp, review_approved};

#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Nothing submitted yet.
    Open,
    /// Submitted, not yet reviewed: the photos of the latest version.
    Waiting(Vec<String>),
    Approved {
        comment: Option<String>,
        photos: Vec<String>,
    },
    /// The learner may submit a new version.
    ChangesRequested { comment: Option<String> },
}

/// The latest submission against the latest review. A review and a new version are compared by
/// their device times: a new version is written after the review was read, so clocks a few
/// minutes apart do not change the answer.
pub fn outcome(log: &EventLog, activity: &str) -> Outcome {
    let latest = |kind: EventKind| {
        log.iter()
            .filter(|e| e.kind == kind && e.activity_id.as_deref() == Some(activity))
            .max_by_key(|e| Stamp::of(e))
    };
    let submission = latest(EventKind::ChallengeSubmitted);
    let review = latest(EventKind::ChallengeReviewed);
    let photos = submission.map(photo_ids).unwrap_or_default();
    match (submission, review) {
        (None, None) => Outcome::Open,
        (_, Some(review)) if review_approved(review) => Outcome::Approved {
            comment: comment(review),
            photos,
        },
        (Some(submission), Some(review)) if Stamp::of(submission) > Stamp::of(review) => {
            Outcome::Waiting(photos)
        }
        (_, Some(review)) => Outcome::ChangesRequested {
            comment: comment(review),
        },
        (Some(_), None) => Outcome::Waiting(photos),
    }
}

fn comment(review: &Event) -> Option<String> {
    let text = review.data.get("comment")?.as_str()?.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use uuid::Uuid;

    fn event(kind: EventKind, at: &str, data: serde_json::Value) -> Event {
        let mut event = Event::activity_completed(Uuid::new_v4(), "sfida", at.into());
        event.kind = kind;
        event.data = data;
        event
    }

    fn log(events: &[&Event]) -> EventLog {
        let mut log = EventLog::default();
        log.merge(events.iter().map(|e| (*e).clone()));
        log
    }

    #[test]
    fn a_submission_waits_for_its_review_with_its_photos() {
        assert_eq!(outcome(&log(&[]), "sfida"), Outcome::Open);
        let photo = Uuid::new_v4().to_string();
        let sent = event(
            EventKind::ChallengeSubmitted,
            "2026-11-25T10:00:00Z",
            json!({"text": "fatto", "photos": [photo]}),
        );
        assert_eq!(
            outcome(&log(&[&sent]), "sfida"),
            Outcome::Waiting(vec![photo])
        );
        assert_eq!(outcome(&log(&[&sent]), "altra-sfida"), Outcome::Open);
    }

    #[test]
    fn changes_requested_reopen_the_challenge_until_a_new_version_is_sent() {
        let first = event(
            EventKind::ChallengeSubmitted,
            "2026-11-25T10:00:00Z",
            json!({"text": "prima"}),
        );
        let review = event(
            EventKind::ChallengeReviewed,
            "2026-11-26T09:00:00Z",
            json!({"status": "changes_requested", "comment": " Aggiungi una foto del lancio. "}),
        );
        assert_eq!(
            outcome(&log(&[&first, &review]), "sfida"),
            Outcome::ChangesRequested {
                comment: Some("Aggiungi una foto del lancio.".into())
            }
        );
        let second = event(
            EventKind::ChallengeSubmitted,
            "2026-11-26T18:00:00Z",
            json!({"text": "seconda"}),
        );
        assert_eq!(
            outcome(&log(&[&first, &review, &second]), "sfida"),
            Outcome::Waiting(vec![])
        );
    }

    #[test]
    fn the_latest_review_decides_and_an_approval_stays() {
        let sent = event(
            EventKind::ChallengeSubmitted,
            "2026-11-25T10:00:00Z",
            json!({"text": "fatto"}),
        );
        let changes = event(
            EventKind::ChallengeReviewed,
            "2026-11-26T09:00:00Z",
            json!({"status": "changes_requested"}),
        );
        let approved = event(
            EventKind::ChallengeReviewed,
            "2026-11-27T09:00:00Z",
            json!({"status": "approved"}),
        );
        let expected = Outcome::Approved {
            comment: None,
            photos: vec![],
        };
        assert_eq!(
            outcome(&log(&[&sent, &changes, &approved]), "sfida"),
            expected
        );
        let older = event(
            EventKind::ChallengeReviewed,
            "2026-11-25T12:00:00Z",
            json!({"status": "approved"}),
        );
        assert!(matches!(
            outcome(&log(&[&sent, &older, &changes]), "sfida"),
            Outcome::ChangesRequested { comment: None }
        ));
    }
}
