//! What the educators' reports read of a person's log, kept folded as badges are (see
//! [`crate::fold`]): the fold, each quiz's first attempt, each path's first "before" and latest
//! "after" self-assessment, and the latest own action. Only the person's own actions count here:
//! not a linked relative's confirmation, not an educator's review or award about them.

use crate::fold::Fold;
use crate::payload::{Moment, Payload};
use crate::quiz::Answer;
use crate::rules::Judged;
use crate::time::{Stamp, after, before};
use crate::{Event, EventLog};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The version of [`Summary::to_bytes`]'s format, its first byte. Postcard does not describe its
/// fields, so another shape could read as wrong values rather than fail: a changed field bumps it,
/// and so does a change in what the fields hold (3: late weeks before 2000 kept as one), so that
/// the server folds every log again in the background (`folds::keep_all`).
/// (The first format had none; its first byte, the owner's `Option` tag, is 0 or 1.)
pub const FORMAT: u8 = 3;

/// Stored by the server with each person's fold ([`Summary::to_bytes`]): its fields are its
/// storage format.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub fold: Fold,
    /// Each quiz's first own attempt, its answers as JSON (read only for a dashboard's quizzes):
    /// later attempts come after its feedback, so the first says best what the lesson did not
    /// get across.
    first_attempts: BTreeMap<String, (Stamp, String)>,
    /// Each path's first "before" and latest "after" self-assessment, with its mean answer.
    self_assessed: BTreeMap<String, [Option<(Stamp, f64)>; 2]>,
    /// The latest own action by device time.
    last_own: Option<Stamp>,
}

impl Summary {
    pub fn new(owner: Option<&str>) -> Self {
        Self {
            fold: Fold::new(owner),
            ..Self::default()
        }
    }

    /// The summary of a judged log, for its owner.
    pub fn of(judged: &Judged) -> Self {
        let mut summary = Self::new(judged.owner());
        summary.extend(judged);
        summary
    }

    /// Merges in every event of a judged log (the ones that arrived since, say).
    pub fn extend(&mut self, judged: &Judged) {
        for (event, payload) in judged.iter() {
            self.add(event, payload);
        }
    }

    /// The summary of `owner`'s log, judged by the rules against `bundle`.
    pub fn of_log(log: &EventLog, bundle: &crate::Bundle, owner: &str) -> Self {
        Self::of(&Judged::of(log, bundle).owned_by(Some(owner)))
    }

    /// Merges in one event the rules accepted, with what it says.
    pub fn add(&mut self, event: &Event, payload: &Payload) {
        self.fold.add(event, payload);
        if !self.fold.is_own_action(event, payload) {
            return;
        }
        if self.last_own.as_ref().is_none_or(|last| after(event, last)) {
            self.last_own = Some(Stamp::of(event));
        }
        match (payload, event.activity_id.as_deref()) {
            (Payload::Quiz(attempt), Some(quiz)) => {
                let first = self.first_attempts.get(quiz);
                if first.is_none_or(|(stamp, _)| before(event, stamp)) {
                    let answers = serde_json::to_string(&attempt.answers).unwrap_or_default();
                    let first = (Stamp::of(event), answers);
                    self.first_attempts.insert(quiz.to_owned(), first);
                }
            }
            (Payload::SelfAssessed(answers), _) => {
                let Some(mean) = mean(&answers.answers) else {
                    return;
                };
                let sides = self
                    .self_assessed
                    .entry(answers.path_id.clone())
                    .or_default();
                let (side, replaces): (usize, fn(&Event, &Stamp) -> bool) = match answers.moment {
                    Moment::Before => (0, before),
                    Moment::After => (1, after),
                };
                if sides[side]
                    .as_ref()
                    .is_none_or(|(kept, _)| replaces(event, kept))
                {
                    sides[side] = Some((Stamp::of(event), mean));
                }
            }
            _ => {}
        }
    }

    /// The answers of the first own attempt at `quiz`.
    pub fn first_attempt(&self, quiz: &str) -> Option<Vec<Option<Answer>>> {
        let (_, answers) = self.first_attempts.get(quiz)?;
        serde_json::from_str(answers).ok()
    }

    /// The summary as the server stores it: [`FORMAT`], then the fields in postcard.
    pub fn to_bytes(&self) -> Vec<u8> {
        postcard::to_extend(self, vec![FORMAT]).unwrap_or_default()
    }

    /// A stored summary; `None` if it was stored in another format.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let (&FORMAT, fields) = bytes.split_first()? else {
            return None;
        };
        postcard::from_bytes(fields).ok()
    }

    /// The mean answer on `path_id` before (the first "before") and after (the latest "after");
    /// `None` unless both were answered.
    pub fn before_and_after(&self, path_id: &str) -> Option<(f64, f64)> {
        match self.self_assessed.get(path_id)? {
            [Some((_, before)), Some((_, after))] => Some((*before, *after)),
            _ => None,
        }
    }

    /// The device time of the latest own action.
    pub fn last_activity(&self) -> Option<&str> {
        self.last_own.as_ref().map(|s| s.at.as_str())
    }
}

/// The mean of the answers; `None` when there are none.
fn mean(answers: &[u8]) -> Option<f64> {
    let sum: u32 = answers.iter().map(|a| u32::from(*a)).sum();
    (!answers.is_empty()).then(|| f64::from(sum) / answers.len() as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{every_kind, finishing};

    #[test]
    fn a_summary_reads_back_from_its_bytes_and_not_from_another_format() {
        let bundle = every_kind();
        let mut log = crate::EventLog::default();
        log.merge([finishing(&bundle, 1, "orbite-quiz", "2026-11-25T10:00:00Z")]);
        let summary = Summary::of(&Judged::of(&log, &bundle).owned_by(None));
        assert_eq!(
            Summary::from_bytes(&summary.to_bytes()),
            Some(summary.clone())
        );
        // The first format: the same fields without the version byte.
        let unversioned = postcard::to_allocvec(&summary).unwrap();
        assert_eq!(Summary::from_bytes(&unversioned), None);
    }
}
