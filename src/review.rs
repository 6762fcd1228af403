//! Where a learner's challenge stands: open, waiting for an educator, approved, or back with
//! changes requested. Read from the log, so it follows every synced review.

use officina_core::Bundle;
use officina_core::challenge::{self, State};
use officina_core::events::EventLog;

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
pub fn outcome(log: &EventLog, bundle: &Bundle, activity: &str) -> Outcome {
    let standing = challenge::standing(log, bundle, activity);
    let photos = standing
        .submission
        .map(|(_, submission)| submission.photos)
        .unwrap_or_default();
    let comment = || {
        let (_, review) = standing.review.clone()?;
        let text = review.comment?.trim().to_owned();
        (!text.is_empty()).then_some(text)
    };
    match standing.state {
        State::Open => Outcome::Open,
        State::Waiting => Outcome::Waiting(photos),
        State::Approved => Outcome::Approved {
            comment: comment(),
            photos,
        },
        State::ChangesRequested => Outcome::ChangesRequested { comment: comment() },
    }
}
