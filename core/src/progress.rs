//! Progress derived from the event log. The same functions run in the app and on the server.

use crate::challenge::{Latest, State};
use crate::content::{Bundle, Module, Path};
use crate::events::EventLog;
use crate::figures::percent_of;
use crate::fold::Fold;
use crate::rules::Judged;
use crate::time::Stamp;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where a person is with one activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    NotStarted,
    /// Started but not finished: a quiz not yet passed, a family task waiting for the other person.
    InProgress,
    Done,
    /// A challenge an educator has approved.
    Approved,
}

impl Status {
    pub fn is_done(self) -> bool {
        self >= Status::Done
    }
}

/// A person's progress through the programme.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Progress {
    statuses: BTreeMap<String, Status>,
    /// The events that first made each activity done: one, or the child's and the parent's
    /// confirmations of a family task (or, for a challenge approved before its submission synced,
    /// the approval).
    done_by: BTreeMap<String, Vec<Stamp>>,
    /// The review that approved each approved challenge.
    approved_by: BTreeMap<String, Stamp>,
    /// The activity of the most recent event (device time) and that time.
    last: Option<(String, String)>,
}

impl Progress {
    /// Folds the log into statuses, judging each event by the programme's rules (an event that
    /// would be refused today counts for nothing); the result does not depend on their order.
    pub fn from_log(log: &EventLog, bundle: &Bundle) -> Self {
        Self::from_judged(&Judged::of(log, bundle))
    }

    /// Folds a judged log into statuses.
    pub fn from_judged(judged: &Judged) -> Self {
        Self::of(&Fold::of(judged))
    }

    /// The statuses a fold gives.
    pub fn of(fold: &Fold) -> Self {
        let mut progress = Self::default();
        for activity in fold.started.keys() {
            progress.raise(activity, Status::InProgress);
        }
        for (activity, first) in &fold.first_done {
            progress.done(activity, vec![first.clone()]);
        }
        for (activity, roles) in &fold.family {
            if let [Some(child), Some(parent)] = roles {
                progress.done(activity, vec![child.clone(), parent.clone()]);
            }
        }
        for (activity, latest) in &fold.challenges {
            progress.challenge(activity, latest);
        }
        progress.last = fold
            .last
            .as_ref()
            .map(|(activity, stamp)| (activity.clone(), stamp.at.clone()));
        progress
    }

    fn challenge(&mut self, activity: &str, latest: &Latest) {
        match (latest.state(), &latest.review) {
            (State::Approved, Some(review)) => {
                let review = review.stamp.clone();
                self.raise(activity, Status::Approved);
                self.done_by
                    .entry(activity.to_owned())
                    .or_insert_with(|| vec![review.clone()]);
                self.approved_by.insert(activity.to_owned(), review);
            }
            // Changes requested: not done until a new version is sent (a version of one
            // character must not complete a module once an educator has sent it back).
            (State::ChangesRequested, _) => {
                self.statuses
                    .insert(activity.to_owned(), Status::InProgress);
                self.done_by.remove(activity);
            }
            _ => {}
        }
    }

    fn done(&mut self, activity: &str, by: Vec<Stamp>) {
        self.raise(activity, Status::Done);
        self.done_by.insert(activity.to_owned(), by);
    }

    /// The events that first made `activity` done (empty when it is not done).
    pub fn done_by(&self, activity: &str) -> &[Stamp] {
        self.done_by.get(activity).map_or(&[], Vec::as_slice)
    }

    /// The latest review of `activity`, when it approved the challenge.
    pub fn approved_by(&self, activity: &str) -> Option<&Stamp> {
        self.approved_by.get(activity)
    }

    fn raise(&mut self, activity: &str, status: Status) {
        let current = self
            .statuses
            .entry(activity.to_owned())
            .or_insert(Status::NotStarted);
        *current = (*current).max(status);
    }

    pub fn status(&self, activity: &str) -> Status {
        self.statuses
            .get(activity)
            .copied()
            .unwrap_or(Status::NotStarted)
    }

    pub fn is_done(&self, activity: &str) -> bool {
        self.status(activity).is_done()
    }

    pub fn path_percent(&self, path: &Path) -> u8 {
        percent(path.activities().map(|a| self.is_done(&a.id)))
    }

    pub fn module_percent(&self, module: &Module) -> u8 {
        percent(module.activities.iter().map(|a| self.is_done(&a.id)))
    }

    /// The points of every activity done.
    pub fn xp(&self, bundle: &Bundle) -> u32 {
        bundle
            .paths
            .iter()
            .flat_map(|p| p.activities())
            .filter(|a| self.is_done(&a.id))
            .filter_map(|a| a.xp)
            .sum()
    }

    /// What to do next: the first activity not done in the path last worked on.
    pub fn next_activity<'a>(&self, bundle: &'a Bundle) -> Option<(&'a Path, &'a crate::Activity)> {
        let (last, _) = self.last.as_ref()?;
        let path = bundle.activity(last)?.path;
        self.first_not_done(path).map(|a| (path, a))
    }

    /// What "Continua da dove eri rimasto" offers: the first activity not done in `own` (the
    /// cohort's path) once it is started, otherwise [`Self::next_activity`].
    pub fn continue_with<'a>(
        &self,
        bundle: &'a Bundle,
        own: Option<&'a Path>,
    ) -> Option<(&'a Path, &'a crate::Activity)> {
        own.filter(|path| {
            path.activities()
                .any(|a| self.status(&a.id) != Status::NotStarted)
        })
        .and_then(|path| self.first_not_done(path).map(|a| (path, a)))
        .or_else(|| self.next_activity(bundle))
    }

    /// The next activity of `path` after `current` that is not done, going round to the path's
    /// start; `None` when every other one is done.
    pub fn after<'a>(&self, path: &'a Path, current: &str) -> Option<&'a crate::Activity> {
        let all: Vec<&crate::Activity> = path.activities().collect();
        let here = all
            .iter()
            .position(|a| a.id == current)
            .map_or(0, |i| i + 1);
        all[here..]
            .iter()
            .chain(&all[..here])
            .find(|a| a.id != current && !self.is_done(&a.id))
            .copied()
    }

    fn first_not_done<'a>(&self, path: &'a Path) -> Option<&'a crate::Activity> {
        path.activities().find(|a| !self.is_done(&a.id))
    }
}

/// Whole percent of `true`s (0 when empty).
fn percent(done: impl Iterator<Item = bool>) -> u8 {
    let (total, finished) = done.fold((0usize, 0usize), |(t, f), d| (t + 1, f + usize::from(d)));
    percent_of(finished, total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::tests::sample_bundle;
    use crate::events::tests::activity_event;
    use crate::events::{Event, EventKind};
    use crate::payload::{FamilyRole, Verdict};
    use crate::quiz::Answer;
    use crate::testing::{attempt, confirmation, every_kind, finishing, review};
    use serde_json::json;
    use uuid::Uuid;

    #[test]
    fn percent_counts_each_activity_once() {
        let bundle = sample_bundle();
        let path = &bundle.paths[0];
        let mut log = EventLog::default();
        assert_eq!(Progress::from_log(&log, &bundle).path_percent(path), 0);
        for n in 0..3 {
            // Completing the same activity on several devices still counts once.
            log.insert(Event::activity_completed(
                Uuid::from_u128(n),
                "orbite-intro",
                "2026-01-01T10:00:00Z".into(),
            ));
        }
        let progress = Progress::from_log(&log, &bundle);
        assert_eq!(progress.path_percent(path), 50);
        assert_eq!(progress.module_percent(&path.modules[0]), 50);
    }

    #[test]
    fn a_quiz_is_done_only_once_passed() {
        let bundle = sample_bundle();
        let crate::Details::Quiz(quiz) = &bundle.paths[0].modules[0].activities[1].details else {
            unreachable!("the sample's second activity is a quiz")
        };
        let try_quiz = |n: u128, at: &str, km: f64| {
            let answers = vec![Some(Answer::Number(km))];
            Event::new(
                Uuid::from_u128(n),
                Some("orbite-quiz"),
                at.into(),
                &attempt(quiz, answers),
            )
        };
        let mut log = EventLog::default();
        log.insert(try_quiz(1, "2026-01-01T10:00:00Z", 100.0));
        let status = |log: &EventLog| Progress::from_log(log, &bundle).status("orbite-quiz");
        assert_eq!(status(&log), Status::InProgress);
        // A pass the answers do not give counts for nothing (`score_mismatch`).
        log.insert(activity_event(
            2,
            EventKind::QuizSubmitted,
            "orbite-quiz",
            "2026-01-01T10:02:00Z",
            json!({"answers": [100], "score": 100, "passed": true}),
        ));
        assert_eq!(status(&log), Status::InProgress);
        log.insert(try_quiz(3, "2026-01-01T10:05:00Z", 400.0));
        assert_eq!(status(&log), Status::Done);
        // A later failed retry does not take a pass away.
        log.insert(try_quiz(4, "2026-01-01T10:09:00Z", 100.0));
        assert_eq!(status(&log), Status::Done);
    }

    #[test]
    fn a_family_task_needs_both_the_child_and_the_parent() {
        let bundle = every_kind();
        let mut log = EventLog::default();
        let at = "2026-01-01T10:00:00Z";
        log.insert(confirmation(1, "compito", at, FamilyRole::Child));
        log.insert(confirmation(2, "compito", at, FamilyRole::Child));
        assert_eq!(
            Progress::from_log(&log, &bundle).status("compito"),
            Status::InProgress
        );
        log.insert(confirmation(3, "compito", at, FamilyRole::Parent));
        let progress = Progress::from_log(&log, &bundle);
        assert_eq!(progress.status("compito"), Status::Done);
        let by: Vec<Uuid> = progress.done_by("compito").iter().map(|s| s.id).collect();
        assert_eq!(
            by,
            [Uuid::from_u128(1), Uuid::from_u128(3)],
            "the first child's confirmation and the parent's"
        );
    }

    #[test]
    fn a_challenge_is_approved_when_its_latest_review_approves_it() {
        let bundle = every_kind();
        let mut log = EventLog::default();
        log.insert(finishing(&bundle, 1, "sfida", "2026-01-01T10:00:00Z"));
        log.insert(review(
            2,
            "sfida",
            "2026-01-02T10:00:00Z",
            Verdict::Approved,
        ));
        log.insert(review(
            3,
            "sfida",
            "2026-01-02T09:00:00Z",
            Verdict::ChangesRequested,
        ));
        let progress = Progress::from_log(&log, &bundle);
        assert_eq!(progress.status("sfida"), Status::Approved);
        assert_eq!(
            progress.approved_by("sfida").map(|s| s.id),
            Some(Uuid::from_u128(2))
        );
        log.insert(review(
            4,
            "sfida",
            "2026-01-03T10:00:00Z",
            Verdict::ChangesRequested,
        ));
        let progress = Progress::from_log(&log, &bundle);
        assert_eq!(
            progress.status("sfida"),
            Status::InProgress,
            "sent back: neither approved nor done until a new version comes"
        );
        assert_eq!(progress.approved_by("sfida"), None);
        assert!(progress.done_by("sfida").is_empty());
    }

    #[test]
    fn next_activity_continues_the_last_path() {
        let bundle = sample_bundle();
        let mut log = EventLog::default();
        assert!(
            Progress::from_log(&log, &bundle)
                .next_activity(&bundle)
                .is_none(),
            "nothing started yet"
        );
        log.insert(activity_event(
            1,
            EventKind::ActivityCompleted,
            "orbite-intro",
            "2026-01-01T10:00:00Z",
            json!({}),
        ));
        let progress = Progress::from_log(&log, &bundle);
        let (path, next) = progress.next_activity(&bundle).unwrap();
        assert_eq!(
            (path.id.as_str(), next.id.as_str()),
            ("space-camp", "orbite-quiz")
        );
        assert_eq!(progress.xp(&bundle), 0);
    }

    fn done(bundle: &Bundle, ids: &[&str]) -> Progress {
        let mut log = EventLog::default();
        for (n, id) in ids.iter().enumerate() {
            log.insert(finishing(
                bundle,
                n as u128,
                id,
                &format!("2026-01-01T10:0{n}:00Z"),
            ));
        }
        Progress::from_log(&log, bundle)
    }

    /// Space Camp with four activities, a to d, and a second path, "coding", with one.
    fn two_paths() -> Bundle {
        let mut bundle = sample_bundle();
        let activities = &mut bundle.paths[0].modules[0].activities;
        let lesson = activities[0].clone();
        activities.clear();
        for id in ["a", "b", "c", "d"] {
            activities.push(crate::Activity {
                id: id.into(),
                ..lesson.clone()
            });
        }
        let mut coding = bundle.paths[0].clone();
        coding.id = "coding".into();
        coding.modules[0].activities.truncate(1);
        coding.modules[0].activities[0].id = "x".into();
        bundle.paths.push(coding);
        bundle
    }

    #[test]
    fn the_activity_after_this_one_skips_what_is_done_and_goes_round() {
        let bundle = two_paths();
        let path = &bundle.paths[0];
        let after = |progress: &Progress, id| progress.after(path, id).map(|a| a.id.as_str());
        assert_eq!(after(&done(&bundle, &["a"]), "a"), Some("b"));
        assert_eq!(after(&done(&bundle, &["a", "b", "c"]), "b"), Some("d"));
        assert_eq!(
            after(&done(&bundle, &["c", "d"]), "d"),
            Some("a"),
            "round to the start"
        );
        assert_eq!(
            after(&done(&bundle, &["a", "b", "c", "d"]), "d"),
            None,
            "the path is complete"
        );
        assert_eq!(
            after(&done(&bundle, &["a", "b", "c"]), "d"),
            None,
            "only this one left"
        );
    }

    #[test]
    fn continue_prefers_the_own_path_once_started() {
        let bundle = two_paths();
        let own = bundle.path("space-camp");
        let next = |progress: &Progress, own| {
            progress
                .continue_with(&bundle, own)
                .map(|(p, a)| (p.id.as_str(), a.id.as_str()))
        };
        // Worked on last in another path, but the own path is started: the own path goes on.
        assert_eq!(
            next(&done(&bundle, &["a", "x"]), own),
            Some(("space-camp", "b"))
        );
        // The own path not started yet: where the learner left off.
        let mut other = bundle.paths[1].clone();
        let y = crate::Activity {
            id: "y".into(),
            ..other.modules[0].activities[0].clone()
        };
        other.modules[0].activities.push(y);
        let bundle = Bundle {
            paths: vec![bundle.paths[0].clone(), other],
            ..bundle
        };
        let next = |progress: &Progress, own| {
            progress
                .continue_with(&bundle, own)
                .map(|(p, a)| (p.id.as_str(), a.id.as_str()))
        };
        assert_eq!(
            next(&done(&bundle, &["x"]), bundle.path("space-camp")),
            Some(("coding", "y"))
        );
        assert_eq!(next(&done(&bundle, &["x"]), None), Some(("coding", "y")));
        assert_eq!(next(&done(&bundle, &[]), bundle.path("space-camp")), None);
    }
}
