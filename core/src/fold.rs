//! A person's log folded once into what progress, streaks and badges read. One more event is
//! merged in without reading the log again, and every part keeps the first or the latest event by
//! a total order (time, then id; or the server's receipt), so the fold of a log is the same
//! whatever order its events arrive in. Its size depends on the programme and the weeks the
//! person was active, not on how many events they have.
//!
//! Only adding events is incremental: when what a stored event means changes (a link ended, a
//! role corrected, the content changed, a receipt arrived on the device), fold the log again.

use crate::Bundle;
use crate::challenge::Latest;
use crate::events::Event;
use crate::events::EventLog;
use crate::outbox::Changed;
use crate::payload::{FamilyRole, Payload};
use crate::rules::{Judge, Judged};
use crate::streaks::{Weeks, in_time};
use crate::time::{Stamp, before, week_of};
use serde::{Deserialize, Serialize};
use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

/// The week of 2000-01-01, long before the programme began. An own action dated earlier is a clock
/// set wrong, not a week lived: late ones count as this one week, so that back-dated events
/// cannot grow a fold (and every report that reads it) without bound.
const FIRST_WEEK: i64 = 1565;

/// Stored by the server between pushes (in [`crate::summary::Summary`], postcard after a format
/// byte), so its fields are its storage format: a change bumps `summary::FORMAT`, and stored folds
/// are then folded again from the log.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Fold {
    /// Whose log it is; `None` for a device's log before joining (every event is its own).
    owner: Option<String>,
    /// The earliest event that did each activity: a completion, a passed quiz, a submission.
    pub(crate) first_done: BTreeMap<String, Stamp>,
    /// Each family task's earliest confirmation by the child and by a parent.
    pub(crate) family: BTreeMap<String, [Option<Stamp>; 2]>,
    pub(crate) challenges: BTreeMap<String, Latest>,
    /// Activities with a failed attempt or one side's confirmation (started, at least), each
    /// with its earliest such event.
    pub(crate) started: BTreeMap<String, Stamp>,
    /// The activity of the latest event by device time, and that event.
    pub(crate) last: Option<(String, Stamp)>,
    /// The earliest own action of each week that reached the server in time (see [`in_time`]).
    weeks: BTreeMap<i64, Stamp>,
    /// Weeks with own actions that reached the server too late, each with the earliest.
    late: BTreeMap<i64, Stamp>,
    /// The earliest award of each badge.
    awards: BTreeMap<String, Stamp>,
}

impl Fold {
    pub fn new(owner: Option<&str>) -> Self {
        Self {
            owner: owner.map(str::to_owned),
            ..Self::default()
        }
    }

    /// The fold of a judged log, for its owner.
    pub fn of(judged: &Judged) -> Self {
        let mut fold = Self::new(judged.owner());
        for (event, payload) in judged.iter() {
            fold.add(event, payload);
        }
        fold
    }

    /// Folds `log` again, for the same owner: a fold only ever takes events in, so this is how
    /// it follows a change in what stored events mean (the programme, their owner).
    pub fn refold(&mut self, log: &EventLog, bundle: &Bundle) {
        *self = Self {
            owner: self.owner.take(),
            ..Self::default()
        };
        self.add_judged(log.iter(), &Judge::new(bundle));
    }

    /// Brings the fold of `log` up to date with a change already made to it: takes in the new
    /// events, and folds the log again only when a receipt that arrived changes what the fold
    /// read of an event (see [`receipt_matters`]). Says whether the fold may have changed.
    pub fn follow(&mut self, log: &EventLog, changed: &Changed, bundle: &Bundle) -> bool {
        let judge = Judge::new(bundle);
        let mut received = changed.received.iter().filter_map(|id| log.get(id));
        if received.any(|event| receipt_matters(event, &judge)) {
            self.refold(log, bundle);
            return true;
        }
        self.add_judged(changed.added.iter().filter_map(|id| log.get(id)), &judge);
        !changed.added.is_empty()
    }

    /// Merges in each of `events` the rules accept.
    fn add_judged<'a>(&mut self, events: impl Iterator<Item = &'a Event>, judge: &Judge) {
        for event in events {
            if let Ok(payload) = judge.judge(event) {
                self.add(event, &payload);
            }
        }
    }

    /// Merges in one event the rules accepted, with what it says.
    pub fn add(&mut self, event: &Event, payload: &Payload) {
        if self.is_own_action(event, payload) {
            self.add_week(event);
        }
        if let Payload::Award(award) = payload {
            keep_first(&mut self.awards, award.badge_id.as_str(), event);
        }
        if let Some(activity) = event.activity_id.as_deref() {
            self.add_activity(activity, event, payload);
        }
    }

    fn add_activity(&mut self, activity: &str, event: &Event, payload: &Payload) {
        match payload {
            Payload::Completed => keep_first(&mut self.first_done, activity, event),
            Payload::Quiz(attempt) if attempt.passed => {
                keep_first(&mut self.first_done, activity, event)
            }
            Payload::Submission(_) => {
                keep_first(&mut self.first_done, activity, event);
                self.challenge(activity).see(event, None);
            }
            Payload::Quiz(_) => keep_first(&mut self.started, activity, event),
            Payload::Family(confirmation) => {
                let side = match confirmation.role {
                    FamilyRole::Child => 0,
                    FamilyRole::Parent => 1,
                };
                let slot = &mut self.family.entry(activity.to_owned()).or_default()[side];
                if slot.as_ref().is_none_or(|first| before(event, first)) {
                    *slot = Some(Stamp::of(event));
                }
                keep_first(&mut self.started, activity, event);
            }
            // An educator's clock says nothing about where the learner is: not a "last" event.
            Payload::Review(review) => {
                self.challenge(activity).see(event, Some(review.verdict));
                return;
            }
            Payload::Award(_) | Payload::SelfAssessed(_) => return,
        }
        self.see_last(activity, event);
    }

    /// Keeps the latest event by device time as written, the smallest id among equals.
    fn see_last(&mut self, activity: &str, event: &Event) {
        match &mut self.last {
            Some((_, kept))
                if event.at < kept.at || (event.at == kept.at && event.id > kept.id) => {}
            _ => self.last = Some((activity.to_owned(), Stamp::of(event))),
        }
    }

    fn challenge(&mut self, activity: &str) -> &mut Latest {
        self.challenges.entry(activity.to_owned()).or_default()
    }

    /// Own actions count toward streaks.
    fn add_week(&mut self, event: &Event) {
        let Some(week) = week_of(&event.at) else {
            return;
        };
        if in_time(event) {
            keep_first(&mut self.weeks, &week, event);
        } else {
            keep_first(&mut self.late, &week.max(FIRST_WEEK), event);
        }
    }

    /// Whether the owner did it themselves: not a linked relative's confirmation (events without
    /// an author are the device's own, recorded before joining), nor an educator's review or
    /// award about them.
    pub(crate) fn is_own_action(&self, event: &Event, payload: &Payload) -> bool {
        let author = event.user_id.as_deref();
        let own = author.is_none() || self.owner.is_none() || author == self.owner.as_deref();
        own && !matches!(payload, Payload::Review(_) | Payload::Award(_))
    }

    /// Whose log it is.
    pub fn owner(&self) -> Option<&str> {
        self.owner.as_deref()
    }

    /// The latest submission and review of a challenge, once either came.
    pub fn challenge_of(&self, activity: &str) -> Option<&Latest> {
        self.challenges.get(activity)
    }

    /// The family tasks, each with whether the child and whether a parent confirmed it.
    pub fn family_tasks(&self) -> impl Iterator<Item = (&str, [bool; 2])> {
        let confirmed = |sides: &[Option<Stamp>; 2]| sides.each_ref().map(Option::is_some);
        self.family
            .iter()
            .map(move |(a, sides)| (a.as_str(), confirmed(sides)))
    }

    /// The weeks of activity that count toward streaks.
    pub fn weeks(&self) -> Weeks<'_> {
        let late = self.late.keys().filter(|w| !self.weeks.contains_key(w));
        Weeks {
            counted: &self.weeks,
            late: u32::try_from(late.count()).unwrap_or(u32::MAX),
        }
    }

    /// The events the fold rests on: the kept one of every part. Folding only these gives the
    /// same fold as the whole log, so a device can start from them and read the rest later.
    pub fn witnesses(&self) -> BTreeSet<Uuid> {
        // Loops, not a chain of iterators nor a `collect` (which sorts): less code in the app.
        let mut ids = BTreeSet::new();
        let mut keep = |stamp: &Stamp| {
            ids.insert(stamp.id);
        };
        let kept = [&self.first_done, &self.started, &self.awards];
        kept.into_iter()
            .flat_map(BTreeMap::values)
            .for_each(&mut keep);
        self.weeks
            .values()
            .chain(self.late.values())
            .for_each(&mut keep);
        self.family.values().flatten().flatten().for_each(&mut keep);
        self.challenges
            .values()
            .flat_map(Latest::stamps)
            .for_each(&mut keep);
        if let Some((_, stamp)) = &self.last {
            keep(stamp);
        }
        ids
    }

    /// The earliest award of `badge`, if an educator awarded it.
    pub fn award(&self, badge: &str) -> Option<&Stamp> {
        self.awards.get(badge)
    }
}

/// Whether the receipt `event` now has changes what a fold read of it without one: whether the
/// rules accept it (a time too far ahead of the server's), a challenge's order (see [`Latest`]),
/// or an own action's week, once it arrived too late to count (see [`in_time`]: before its
/// receipt an event is taken as in time).
fn receipt_matters(event: &Event, judge: &Judge) -> bool {
    match (judge.judge_received(event, None), judge.judge(event)) {
        (Err(_), Err(_)) => false,
        (Ok(_), Ok(payload)) => {
            matches!(payload, Payload::Submission(_) | Payload::Review(_)) || !in_time(event)
        }
        _ => true,
    }
}

/// Keeps the earliest event under `key`. Most events change nothing: no allocation for them.
fn keep_first<K, Q>(kept: &mut BTreeMap<K, Stamp>, key: &Q, event: &Event)
where
    K: Ord + Borrow<Q>,
    Q: Ord + ToOwned<Owned = K> + ?Sized,
{
    match kept.get_mut(key) {
        Some(first) if before(event, first) => *first = Stamp::of(event),
        Some(_) => {}
        None => {
            kept.insert(key.to_owned(), Stamp::of(event));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outbox::Journal;
    use crate::payload::{Answers, FamilyRole, Moment, Verdict};
    use crate::sync::{PushResult, PushStatus, StoredEvent};
    use crate::testing::{confirmation, every_kind, finishing, review};
    use uuid::Uuid;

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

    /// A device's journal and the fold it keeps as it changes, checked after every step against
    /// the fold of its whole log.
    struct Device {
        journal: Journal,
        kept: Fold,
        bundle: crate::Bundle,
    }

    impl Device {
        fn step(&mut self, changed: Changed) -> bool {
            let moved = self.kept.follow(&self.journal.log, &changed, &self.bundle);
            let whole = Fold::of(&Judged::of(&self.journal.log, &self.bundle).owned_by(Some(ME)));
            assert_eq!(self.kept, whole, "after {changed:?}");
            moved
        }

        fn record(&mut self, event: &Event) {
            let changed = self.journal.record(event.clone());
            assert_eq!(changed.added, [event.id]);
            self.step(changed);
        }

        fn pull(&mut self, events: Vec<StoredEvent>, cursor: i64) -> bool {
            let changed = self.journal.apply_pulled(events, cursor);
            self.step(changed)
        }
    }

    #[test]
    fn a_kept_fold_follows_records_acks_and_pulls_as_a_whole_fold_would() {
        let bundle = every_kind();
        let mut device = Device {
            journal: Journal::default(),
            kept: Fold::new(Some(ME)),
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
                .family_tasks()
                .any(|t| t == ("compito", [true, true]))
        );

        // The lesson reached the server five weeks late: its week no longer counts.
        let late = vec![stored(&lesson, ME, 1, "2026-12-07T10:00:00Z")];
        assert_eq!(device.kept.weeks().late, 0);
        assert!(device.pull(late, 7));
        assert_eq!(device.kept.weeks().late, 1);

        // The submission, received before the educator's review of it, is answered after all.
        let reviewed = review(7, "sfida", later, Verdict::ChangesRequested);
        let both = vec![
            stored(&reviewed, "u-educator", 8, "2026-11-26T09:00:00Z"),
            stored(&submission, ME, 3, "2026-11-25T10:00:05Z"),
        ];
        assert!(device.pull(both, 8));
        let latest = device.kept.challenge_of("sfida").unwrap();
        assert_eq!(latest.state(), crate::challenge::State::ChangesRequested);

        assert!(!device.pull(vec![], 8), "a pull that brings nothing");
        assert!(device.journal.apply_pulled(vec![], 8).is_empty());
    }

    #[test]
    fn actions_dated_before_2000_count_as_one_late_week() {
        assert_eq!(week_of("2000-01-01T00:00:00Z"), Some(FIRST_WEEK));
        let bundle = every_kind();
        let mut journal = Journal::default();
        // Lessons dated in 4 800 weeks from 1900 to 1999, received now; and one in 2025.
        let back = (1900..2000).flat_map(|year| {
            (1..=12).flat_map(move |month| {
                [1, 8, 15, 22].map(|day| format!("{year}-{month:02}-{day:02}T10:00:00Z"))
            })
        });
        let dates: Vec<String> = back.chain(["2025-03-03T10:00:00Z".into()]).collect();
        let events: Vec<StoredEvent> = (dates.iter().enumerate())
            .map(|(n, at)| {
                let lesson = mine(Event::activity_completed(
                    Uuid::from_u128(n as u128 + 1),
                    "orbite-intro",
                    at.clone(),
                ));
                stored(&lesson, ME, n as i64 + 1, "2026-12-07T10:00:00Z")
            })
            .collect();
        journal.apply_pulled(events, dates.len() as i64);
        let fold = Fold::of(&Judged::of(&journal.log, &bundle).owned_by(Some(ME)));
        assert_eq!(
            fold.late.len(),
            2,
            "the years before 2000 as one week, and 2025's"
        );
        assert_eq!(fold.weeks().late, 2);
        assert_eq!(fold.witnesses().len(), 2);
    }
}
