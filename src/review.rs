//! Where a learner's challenge stands: open, waiting for an educator, approved, or back with
//! changes requested. Read from the fold, so it follows every synced review, and from the two
//! events it names.

use officina_core::challenge::{Receipt, State};
use officina_core::events::EventLog;
use officina_core::fold::Fold;
use officina_core::payload::Payload;

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

/// Where the challenge stands by core's one rule (the server's review queue uses the same).
pub fn outcome(log: &EventLog, fold: &Fold, activity: &str) -> Outcome {
    let Some(latest) = fold.challenge_of(activity) else {
        return Outcome::Open;
    };
    let payload = |kept: &Option<Receipt>| log.get(&kept.as_ref()?.stamp.id)?.payload();
    let photos = match payload(&latest.submission) {
        Some(Payload::Submission(submission)) => submission.photos,
        _ => Vec::new(),
    };
    let comment = || match payload(&latest.review)? {
        Payload::Review(review) => {
            let text = review.comment?.trim().to_owned();
            (!text.is_empty()).then_some(text)
        }
        _ => None,
    };
    match latest.state() {
        State::Open => Outcome::Open,
        State::Waiting => Outcome::Waiting(photos),
        State::Approved => Outcome::Approved {
            comment: comment(),
            photos,
        },
        State::ChangesRequested => Outcome::ChangesRequested { comment: comment() },
    }
}
