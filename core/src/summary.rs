//! What the educators' reports read of a person's log, kept folded as badges are (see
//! [`crate::fold`]): the fold, each quiz's first attempt, each path's first "before" and latest
//! "after" self-assessment, and the latest own action. Only the person's own actions count here:
//! not a linked relative's confirmation, not an educator's review or award about them.

use crate::fold::{Fold, reads_receipt};
use crate::outbox::Changed;
use crate::payload::{Moment, Payload};
use crate::quiz::Answer;
use crate::rules::{Judge, Judged};
use crate::time::{Stamp, after, before};
use crate::{Event, EventLog};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

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

    /// Folds `log` again, for the same owner: when what its stored events mean changed (the
    /// programme, their owner), since a fold only ever takes events in.
    pub fn refold(&mut self, log: &EventLog, bundle: &crate::Bundle) {
        let owner = self.fold.owner().map(str::to_owned);
        *self = Self::of(&Judged::of(log, bundle).owned_by(owner.as_deref()));
    }

    /// Brings the summary of `log` up to date with a change already made to it: takes in the new
    /// events, and folds the log again only when a receipt that arrived changes what the summary
    /// read of an event (see [`reads_receipt`]). Says whether the summary may have changed.
    pub fn follow(&mut self, log: &EventLog, changed: &Changed, bundle: &crate::Bundle) -> bool {
        let judge = Judge::new(bundle);
        let events = |ids: &'_ [Uuid]| ids.iter().filter_map(|id| log.get(id)).collect::<Vec<_>>();
        if events(&changed.received)
            .into_iter()
            .any(|event| receipt_matters(event, &judge))
        {
            self.refold(log, bundle);
            return true;
        }
        for event in events(&changed.added) {
            if let Ok(payload) = judge.judge(event) {
                self.add(event, &payload);
            }
        }
        !changed.added.is_empty()
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

    /// The summary as the server stores it.
    pub fn to_bytes(&self) -> Vec<u8> {
        postcard::to_allocvec(self).unwrap_or_default()
    }

    /// A stored summary; `None` if it was stored in another format.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        postcard::from_bytes(bytes).ok()
    }

    /// The mean answer on `path_id` before (the first "before") and after (the latest "after");
    /// `None` unless both were answered.
    pub fn before_and_after(&self, path_id: &str) -> Option<(f64, f64)> {
        match self.self_assessed.get(path_id)? {
            [Some((_, before)), Some((_, after))] => Some((*before, *after)),
            _ => None,
        }
    }

    /// Whether the questionnaire of `path_id` was answered at `moment`.
    pub fn assessed(&self, path_id: &str, moment: Moment) -> bool {
        let side = match moment {
            Moment::Before => 0,
            Moment::After => 1,
        };
        self.self_assessed
            .get(path_id)
            .is_some_and(|sides| sides[side].is_some())
    }

    /// The device time of the latest own action.
    pub fn last_activity(&self) -> Option<&str> {
        self.last_own.as_ref().map(|s| s.at.as_str())
    }
}

/// Whether the receipt `event` now has changes what a summary read of it without one: whether
/// the rules accept it (a time too far ahead of the server's) or what the fold keeps of it.
fn receipt_matters(event: &Event, judge: &Judge) -> bool {
    let mut unseen = event.clone();
    unseen.received = None;
    match (judge.judge(&unseen), judge.judge(event)) {
        (Err(_), Err(_)) => false,
        (Ok(_), Ok(payload)) => reads_receipt(event, &payload),
        _ => true,
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
    use crate::outbox::Journal;
    use crate::payload::{Answers, FamilyRole, Verdict};
    use crate::sync::{PushResult, PushStatus, StoredEvent};
    use crate::testing::{confirmation, every_kind, finishing, review};

    const ME: &str = "u1";

    /// `event` as the server hands it back: its `seq`-th, received at `at`, by `user`.
    fn stored(event: &Event, user: &str, seq: i64, at: &str) -> StoredEvent {
        StoredEvent {
            id: event.id,
            user_id: user.into(),
            kind: event.kind,
            activity_id: event.activity_id.clone(),
            at: event.at.clone(),
            data: event.data().clone(),
            seq,
            received_at: at.into(),
        }
    }

    fn mine(mut event: Event) -> Event {
        event.user_id = Some(ME.into());
        event
    }

    /// A device's journal and the summary it keeps as it changes, checked after every step
    /// against the summary of its whole log.
    struct Device {
        journal: Journal,
        kept: Summary,
        bundle: crate::Bundle,
    }

    impl Device {
        fn step(&mut self, changed: Changed) -> bool {
            let moved = self.kept.follow(&self.journal.log, &changed, &self.bundle);
            let whole =
                Summary::of(&Judged::of(&self.journal.log, &self.bundle).owned_by(Some(ME)));
            assert_eq!(self.kept, whole, "after {changed:?}");
            moved
        }

        fn record(&mut self, event: &Event) {
            assert!(self.journal.record(event.clone()));
            self.step(Changed {
                added: vec![event.id],
                ..Changed::default()
            });
        }

        fn pull(&mut self, events: Vec<StoredEvent>, cursor: i64) -> bool {
            let changed = self.journal.apply_pulled(events, cursor);
            self.step(changed)
        }
    }

    #[test]
    fn a_kept_summary_follows_records_acks_and_pulls_as_a_whole_fold_would() {
        let bundle = every_kind();
        let mut device = Device {
            journal: Journal::default(),
            kept: Summary::new(Some(ME)),
            bundle: bundle.clone(),
        };
        let (day, later) = ("2026-11-02T10:00:00Z", "2026-11-25T10:00:00Z");
        let lesson = mine(finishing(&bundle, 1, "orbite-intro", day));
        let quiz = mine(finishing(&bundle, 2, "orbite-quiz", later));
        let submission = mine(finishing(&bundle, 3, "sfida", later));
        let task = mine(finishing(&bundle, 4, "compito", later));
        let assessed = Answers {
            path_id: "space-camp".into(),
            moment: Moment::Before,
            answers: vec![2, 3],
        };
        let assessed = mine(assessed.event(Uuid::from_u128(5), later.into()));
        for event in [&lesson, &quiz, &submission, &task, &assessed] {
            device.record(event);
        }
        assert!(device.kept.assessed("space-camp", Moment::Before));

        let acks: Vec<PushResult> = [&lesson, &quiz, &submission, &task, &assessed]
            .iter()
            .map(|e| PushResult {
                id: e.id,
                status: PushStatus::Accepted,
                error: None,
            })
            .collect();
        let changed = device.journal.apply(&acks);
        assert_eq!(changed.sent.len(), 5);
        assert!(!device.step(changed), "an ack changes nothing a fold reads");

        // Back in time: the receipts change nothing, the parent's confirmation is new.
        let parent = confirmation(6, "compito", later, FamilyRole::Parent);
        let back = vec![
            stored(&quiz, ME, 2, "2026-11-25T10:00:05Z"),
            stored(&task, ME, 4, "2026-11-25T10:00:05Z"),
            stored(&parent, "u-parent", 6, "2026-11-25T11:00:00Z"),
        ];
        assert!(device.pull(back, 6));
        assert!(
            device
                .kept
                .fold
                .family_tasks()
                .any(|t| t == ("compito", [true, true]))
        );

        // The lesson reached the server five weeks late: its week no longer counts.
        let late = vec![stored(&lesson, ME, 1, "2026-12-07T10:00:00Z")];
        assert_eq!(device.kept.fold.weeks().late, 0);
        assert!(device.pull(late, 7));
        assert_eq!(device.kept.fold.weeks().late, 1);

        // The submission, received before the educator's review of it, is answered after all.
        let reviewed = review(7, "sfida", later, Verdict::ChangesRequested);
        let both = vec![
            stored(&reviewed, "u-educator", 8, "2026-11-26T09:00:00Z"),
            stored(&submission, ME, 3, "2026-11-25T10:00:05Z"),
        ];
        assert!(device.pull(both, 8));
        let latest = device.kept.fold.challenge_of("sfida").unwrap();
        assert_eq!(latest.state(), crate::challenge::State::ChangesRequested);

        assert!(!device.pull(vec![], 8), "a pull that brings nothing");
        assert!(device.journal.apply_pulled(vec![], 8).is_empty());
    }
}
