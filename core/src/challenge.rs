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

/// Receipt order: by the server's `seq`; events not yet received last, by device time.
fn receipt_key(event: &Event) -> (bool, i64, Stamp) {
    let seq = event.received.as_ref().map(|r| r.seq);
    (seq.is_none(), seq.unwrap_or(0), Stamp::of(event))
}

/// The latest submission and review of one learner's challenge.
#[derive(Debug, Clone, Default)]
pub struct Latest<'a> {
    pub submission: Option<&'a Event>,
    pub review: Option<&'a Event>,
    verdict: Option<Verdict>,
}

impl<'a> Latest<'a> {
    /// Takes in a submission (`review` `None`) or a review, if later than the one kept.
    pub fn see(&mut self, event: &'a Event, review: Option<Review>) {
        let slot = match review {
            Some(_) => &mut self.review,
            None => &mut self.submission,
        };
        if slot.is_none_or(|kept| receipt_key(kept) < receipt_key(event)) {
            *slot = Some(event);
            if let Some(review) = review {
                self.verdict = Some(review.verdict);
            }
        }
    }

    pub fn state(&self) -> State {
        let answered = match (self.submission, self.review) {
            (None, None) => return State::Open,
            (Some(submission), Some(review)) => receipt_key(submission) < receipt_key(review),
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

/// One challenge of one person's log: its state, its latest version and latest review, each as
/// the programme's rules read them.
#[derive(Debug, Clone, PartialEq)]
pub struct Standing {
    pub state: State,
    pub submission: Option<Submission>,
    pub review: Option<(Stamp, Review)>,
}

pub fn standing(log: &EventLog, bundle: &Bundle, activity: &str) -> Standing {
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
            Ok(Payload::Review(review)) => latest.see(event, Some(review)),
            _ => {}
        }
    }
    let payload = |event: Option<&Event>| event.and_then(|e| e.payload().ok());
    Standing {
        state: latest.state(),
        submission: match payload(latest.submission) {
            Some(Payload::Submission(submission)) => Some(submission),
            _ => None,
        },
        review: match (latest.review, payload(latest.review)) {
            (Some(event), Some(Payload::Review(review))) => Some((Stamp::of(event), review)),
            _ => None,
        },
    }
}
