//! Where a challenge stands (open, waiting for an educator, changes requested, approved): one
//! rule for the app, the server's review queue and progress. Submissions and reviews are ordered
//! as the server received them (its `seq`), never by device clocks, which differ between a
//! learner's phone and an educator's laptop; an event this device has not yet seen back from the
//! server comes after every received one, as it will on the server.

use crate::Bundle;
use crate::events::{Event, EventKind, EventLog};
use crate::payload::{Payload, Review, Submission, Verdict};
use crate::rules::judge;
use crate::time::Stamp;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Nothing submitted (or reviewed) yet.
    Open,
    /// The latest version waits for an educator.
    Waiting,
    /// The latest review asks for changes: the learner may submit a new version.
    ChangesRequested,
    /// The latest review approves, and no version came after it.
    Approved,
}

/// An event's place in receipt order: by the server's `seq`; events not yet received last, by
/// device time.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Receipt {
    waiting: bool,
    seq: i64,
    pub stamp: Stamp,
}

impl Receipt {
    fn of(event: &Event) -> Self {
        let seq = event.received.as_ref().map(|r| r.seq);
        Self {
            waiting: seq.is_none(),
            seq: seq.unwrap_or(0),
            stamp: Stamp::of(event),
        }
    }
}

/// The latest submission and review of one learner's challenge.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Latest {
    pub submission: Option<Receipt>,
    pub review: Option<Receipt>,
    verdict: Option<Verdict>,
}

impl Latest {
    /// Takes in a submission (no verdict) or a review, if later than the one kept.
    pub fn see(&mut self, event: &Event, verdict: Option<Verdict>) {
        let slot = match verdict {
            Some(_) => &mut self.review,
            None => &mut self.submission,
        };
        let receipt = Receipt::of(event);
        if slot.as_ref().is_none_or(|kept| *kept < receipt) {
            *slot = Some(receipt);
            if verdict.is_some() {
                self.verdict = verdict;
            }
        }
    }

    /// The kept submission's and review's stamps.
    pub fn stamps(&self) -> impl Iterator<Item = &Stamp> {
        let receipts = self.submission.iter().chain(&self.review);
        receipts.map(|receipt| &receipt.stamp)
    }

    pub fn state(&self) -> State {
        let answered = match (&self.submission, &self.review) {
            (None, None) => return State::Open,
            (Some(submission), Some(review)) => submission < review,
            (None, Some(_)) => true,
            (Some(_), None) => false,
        };
        match (answered, self.verdict) {
            (true, Some(Verdict::Approved)) => State::Approved,
            (true, _) => State::ChangesRequested,
            (false, _) => State::Waiting,
        }
    }
}

/// One challenge of one person's log: its state, its latest version and its latest review, each
/// as the programme's rules read them.
#[derive(Debug, Clone, PartialEq)]
pub struct Standing<'a> {
    pub state: State,
    pub submission: Option<(&'a Event, Submission)>,
    pub review: Option<(&'a Event, Review)>,
}

pub fn standing<'a>(log: &'a EventLog, bundle: &Bundle, activity: &str) -> Standing<'a> {
    let mut latest = Latest::default();
    let about = log.iter().filter(|e| {
        e.activity_id.as_deref() == Some(activity)
            && matches!(
                e.kind,
                EventKind::ChallengeSubmitted | EventKind::ChallengeReviewed
            )
    });
    for event in about {
        match judge(event, bundle) {
            Ok(Payload::Submission(_)) => latest.see(event, None),
            Ok(Payload::Review(review)) => latest.see(event, Some(review.verdict)),
            _ => {}
        }
    }
    let event = |kept: &Option<Receipt>| kept.as_ref().and_then(|r| log.get(&r.stamp.id));
    Standing {
        state: latest.state(),
        submission: event(&latest.submission).and_then(|e| match e.payload() {
            Some(Payload::Submission(submission)) => Some((e, submission)),
            _ => None,
        }),
        review: event(&latest.review).and_then(|e| match e.payload() {
            Some(Payload::Review(review)) => Some((e, review)),
            _ => None,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::Received;
    use crate::testing::{every_kind, finishing, review};

    /// `event` as the server received it, `seq`-th, on 1 December.
    fn received(mut event: Event, seq: i64) -> Event {
        event.received = Some(Received {
            seq,
            at: "2026-12-01T10:00:00Z".into(),
        });
        event
    }

    fn state(events: Vec<Event>) -> State {
        let mut log = EventLog::default();
        log.merge(events);
        standing(&log, &every_kind(), "sfida").state
    }

    fn submitted(n: u128, at: &str) -> Event {
        finishing(&every_kind(), n, "sfida", at)
    }

    #[test]
    fn nothing_submitted_is_open_and_a_submission_waits() {
        assert_eq!(state(vec![]), State::Open);
        let submission = submitted(1, "2026-11-25T10:00:00Z");
        assert_eq!(state(vec![submission.clone()]), State::Waiting);
        assert_eq!(state(vec![received(submission, 1)]), State::Waiting);
    }

    #[test]
    fn the_order_the_server_received_them_in_beats_device_time() {
        // The educator's laptop runs an hour behind the learner's phone: the review it dates
        // 09:30 answers the submission dated 10:00, because the server received it later.
        let submission = received(submitted(1, "2026-11-25T10:00:00Z"), 1);
        let approval = |verdict| received(review(2, "sfida", "2026-11-25T09:30:00Z", verdict), 2);
        assert_eq!(
            state(vec![submission.clone(), approval(Verdict::Approved)]),
            State::Approved
        );
        assert_eq!(
            state(vec![submission, approval(Verdict::ChangesRequested)]),
            State::ChangesRequested
        );
    }

    #[test]
    fn a_version_received_after_an_approval_waits_again() {
        let first = received(submitted(1, "2026-11-25T10:00:00Z"), 1);
        let approval = received(
            review(2, "sfida", "2026-11-26T10:00:00Z", Verdict::Approved),
            2,
        );
        // The phone's clock is behind the laptop's: device time alone would put it before.
        let again = received(submitted(3, "2026-11-25T12:00:00Z"), 3);
        let mut log = EventLog::default();
        log.merge([first, approval, again]);
        let standing = standing(&log, &every_kind(), "sfida");
        assert_eq!(standing.state, State::Waiting);
        let review_id = standing.review.map(|(stamp, _)| stamp.id);
        assert_eq!(
            review_id,
            Some(uuid::Uuid::from_u128(2)),
            "the latest review is kept"
        );
    }

    #[test]
    fn events_not_yet_received_come_after_every_received_one() {
        let submission = received(submitted(1, "2026-11-25T10:00:00Z"), 1);
        let approval = received(
            review(2, "sfida", "2026-11-26T10:00:00Z", Verdict::Approved),
            2,
        );
        // A new version made offline on a phone whose clock says November 20th: not yet
        // pushed, it will reach the server after the approval, as it does here.
        let local = submitted(3, "2026-11-20T10:00:00Z");
        assert_eq!(
            state(vec![submission.clone(), approval.clone()]),
            State::Approved
        );
        assert_eq!(state(vec![submission, approval, local]), State::Waiting);
        // Among events not yet received, device time decides.
        let local_review = review(
            4,
            "sfida",
            "2026-11-21T10:00:00Z",
            Verdict::ChangesRequested,
        );
        let local_submission = submitted(5, "2026-11-20T10:00:00Z");
        assert_eq!(
            state(vec![local_submission, local_review]),
            State::ChangesRequested
        );
    }

    #[test]
    fn the_standing_carries_the_latest_version_and_review() {
        let bundle = every_kind();
        let mut log = EventLog::default();
        log.insert(received(submitted(1, "2026-11-25T10:00:00Z"), 1));
        let changes = received(
            review(
                2,
                "sfida",
                "2026-11-25T11:00:00Z",
                Verdict::ChangesRequested,
            ),
            2,
        );
        log.insert(changes);
        let mut second = Event::new(
            uuid::Uuid::from_u128(3),
            Some("sfida"),
            "2026-11-25T12:00:00Z".into(),
            &Payload::Submission(Submission {
                text: "Con la foto".into(),
                photos: vec!["00000000-0000-0000-0000-000000000001".into()],
            }),
        );
        second = received(second, 3);
        log.insert(second);
        // A forged review (not a review's fields) answers nothing.
        log.insert(received(
            Event::with_data(
                uuid::Uuid::from_u128(4),
                EventKind::ChallengeReviewed,
                Some("sfida"),
                "2026-11-25T13:00:00Z".into(),
                serde_json::json!({"status": "approved", "badge": "b0"}),
            ),
            4,
        ));
        let standing = standing(&log, &bundle, "sfida");
        assert_eq!(standing.state, State::Waiting);
        assert_eq!(
            standing.submission.map(|(_, s)| s.text),
            Some("Con la foto".into())
        );
        let (event, review) = standing.review.unwrap();
        assert_eq!(event.id, uuid::Uuid::from_u128(2));
        assert_eq!(review.verdict, Verdict::ChangesRequested);
    }
}
