//! Badges earned from a person's log, and what is still missing for the others.
//! Pure functions of (content, log): the same answer in the app and on the server.

use crate::content::{ActivityKind, Badge, Bundle, Criteria, Path};
use crate::fold::Fold;
use crate::progress::Progress;
use crate::sorted::insert_sorted;
use crate::streaks::Weeks;
use crate::time::Stamp;
use std::cell::OnceCell;
use uuid::Uuid;

/// What a locked badge still needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    /// These activities, by id, are not done yet.
    Activities(Vec<String>),
    /// `have` of `need` challenges approved.
    ChallengesApproved { have: u32, need: u32 },
    /// `have` of `need` family tasks confirmed by both.
    FamilyTasks { have: u32, need: u32 },
    /// `have` of `need` weeks in a row; `late` other weeks had activity that reached the server
    /// too late to count (see [`crate::streaks::STREAK_WINDOW_DAYS`]).
    Weeks { have: u32, need: u32, late: u32 },
    /// An educator awards it.
    Award,
}

/// An earned badge: when, and the events that earned it.
///
/// The events are the fewest that satisfy the criterion, each the earliest of its kind (the first
/// completion of each activity, the first approvals that reached the count, the first streak long
/// enough, the first award); `on` is the latest device time among them, the moment the criterion
/// was first met. Events are ordered by instant, then id, so the answer depends only on the log,
/// not on the order events arrived in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Earned {
    /// RFC 3339 device time, as the event carries it.
    pub on: String,
    pub events: Vec<Uuid>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BadgeStatus<'a> {
    pub badge: &'a Badge,
    pub outcome: Result<Earned, Missing>,
}

impl BadgeStatus<'_> {
    pub fn earned(&self) -> bool {
        self.outcome.is_ok()
    }

    /// What the badge still needs; `None` when earned.
    pub fn missing(&self) -> Option<&Missing> {
        self.outcome.as_ref().err()
    }
}

/// Every badge of the programme, earned or with what it still needs.
pub fn evaluate<'a>(bundle: &'a Bundle, fold: &Fold, progress: &Progress) -> Vec<BadgeStatus<'a>> {
    let weeks = OnceCell::new();
    bundle
        .badges
        .iter()
        .map(|badge| BadgeStatus {
            badge,
            outcome: outcome(bundle, fold, progress, &weeks, badge),
        })
        .collect()
}

fn outcome<'f>(
    bundle: &Bundle,
    fold: &'f Fold,
    progress: &Progress,
    // Read from the fold once for all streak badges.
    weeks: &'f OnceCell<Weeks<'f>>,
    badge: &Badge,
) -> Result<Earned, Missing> {
    let all_done = |ids: Vec<&str>| {
        let left: Vec<String> = ids
            .iter()
            .filter(|id| !progress.is_done(id))
            .map(|id| (*id).to_owned())
            .collect();
        if !left.is_empty() {
            return Err(Missing::Activities(left));
        }
        // A criterion over no activity (a module missing from the content) has nothing to earn it.
        earned_by(
            ids.iter()
                .flat_map(|id| progress.done_by(id))
                .cloned()
                .collect(),
        )
        .ok_or(Missing::Activities(vec![]))
    };
    match &badge.criteria {
        Criteria::ActivitiesCompleted { activities } => {
            all_done(activities.iter().map(String::as_str).collect())
        }
        Criteria::ModuleCompleted { module } => all_done(
            bundle
                .module(module)
                .map(|m| m.activities.iter().map(|a| a.id.as_str()).collect())
                .unwrap_or_default(),
        ),
        Criteria::PathCompleted { path } => all_done(
            bundle
                .path(path)
                .map(|p| p.activities().map(|a| a.id.as_str()).collect())
                .unwrap_or_default(),
        ),
        Criteria::QuizPassed { activity } => all_done(vec![activity.as_str()]),
        Criteria::ChallengesApproved { count, path } => {
            let approvals = matching(bundle, path.as_deref(), ActivityKind::Challenge, |id| {
                progress.approved_by(id).map(|review| vec![review.clone()])
            });
            let have = u32::try_from(approvals.len()).unwrap_or(u32::MAX);
            first_count(approvals, *count).ok_or(Missing::ChallengesApproved { have, need: *count })
        }
        Criteria::FamilyTasksConfirmed { count, path } => {
            let confirmations = matching(bundle, path.as_deref(), ActivityKind::FamilyTask, |id| {
                progress.is_done(id).then(|| progress.done_by(id).to_vec())
            });
            let have = u32::try_from(confirmations.len()).unwrap_or(u32::MAX);
            first_count(confirmations, *count).ok_or(Missing::FamilyTasks { have, need: *count })
        }
        Criteria::WeeklyStreak { weeks: need } => {
            let weeks = weeks.get_or_init(|| fold.weeks());
            weeks
                .first_streak_of(*need)
                .and_then(earned_by)
                .ok_or(Missing::Weeks {
                    have: weeks.longest(),
                    need: *need,
                    late: weeks.late,
                })
        }
        Criteria::Awarded => fold
            .award(&badge.id)
            .and_then(|first| earned_by(vec![first.clone()]))
            .ok_or(Missing::Award),
    }
}

/// The earned badge these events make, `on` the latest of them; `None` without events.
fn earned_by(events: Vec<Stamp>) -> Option<Earned> {
    let mut stamps = Vec::with_capacity(events.len());
    for stamp in events {
        insert_sorted(&mut stamps, stamp);
    }
    let on = stamps.last()?.at.clone();
    Some(Earned {
        on,
        events: stamps.into_iter().map(|s| s.id).collect(),
    })
}

/// The first `count` activities to be completed (each by the latest of its events), earned by
/// their events; `None` when fewer than `count` are.
fn first_count(completions: Vec<Vec<Stamp>>, count: u32) -> Option<Earned> {
    if completions.len() < count as usize {
        return None;
    }
    // Ties keep the activities' order (as a stable sort would), through their index.
    let mut order = Vec::with_capacity(completions.len());
    for (index, stamps) in completions.iter().enumerate() {
        insert_sorted(&mut order, (stamps.iter().max(), index));
    }
    let first: Vec<usize> = order.iter().take(count as usize).map(|&(_, i)| i).collect();
    earned_by(
        first
            .into_iter()
            .flat_map(|i| completions[i].iter().cloned())
            .collect(),
    )
}

/// What `found` gives for each activity of `kind` (in `path`, or anywhere) that it finds something for.
fn matching<T>(
    bundle: &Bundle,
    path: Option<&str>,
    kind: ActivityKind,
    found: impl Fn(&str) -> Option<T>,
) -> Vec<T> {
    let paths: Vec<&Path> = match path {
        Some(id) => bundle.path(id).into_iter().collect(),
        None => bundle.paths.iter().collect(),
    };
    paths
        .into_iter()
        .flat_map(|p| p.activities())
        .filter(|a| a.kind() == kind)
        .filter_map(|a| found(&a.id))
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::content::tests::sample_bundle;
    use crate::events::{Event, EventLog};
    use crate::i18n::Localized;
    use crate::payload::{Award, Payload, Verdict};
    use crate::rules::Judged;
    use crate::testing::{finishing, review};

    /// The sample bundle with one badge per criterion, ids `b0`, `b1`, …
    pub(crate) fn with_badges(criteria: Vec<Criteria>) -> Bundle {
        let mut bundle = sample_bundle();
        bundle.badges = criteria
            .into_iter()
            .enumerate()
            .map(|(n, criteria)| Badge {
                id: format!("b{n}"),
                name: Localized::it("Badge"),
                description: Localized::it("Descrizione"),
                image: "/x.svg".into(),
                criteria,
            })
            .collect();
        bundle
    }

    fn evaluated<'a>(bundle: &'a Bundle, log: &EventLog) -> Vec<BadgeStatus<'a>> {
        let fold = Fold::of(&Judged::of(log, bundle));
        evaluate(bundle, &fold, &Progress::of(&fold))
    }

    #[test]
    fn module_badge_lists_what_is_missing_then_is_earned() {
        let bundle = with_badges(vec![Criteria::ModuleCompleted {
            module: "orbite".into(),
        }]);
        let mut log = EventLog::default();
        log.insert(Event::activity_completed(
            Uuid::from_u128(1),
            "orbite-intro",
            "2026-11-25T10:00:00Z".into(),
        ));
        // A quiz is done by passing it, not by saying it is completed (`wrong_kind`).
        log.insert(Event::activity_completed(
            Uuid::from_u128(2),
            "orbite-quiz",
            "2026-11-25T10:00:00Z".into(),
        ));
        let statuses = evaluated(&bundle, &log);
        assert_eq!(
            statuses[0].missing(),
            Some(&Missing::Activities(vec!["orbite-quiz".into()]))
        );
        log.insert(finishing(&bundle, 3, "orbite-quiz", "2026-11-25T10:00:00Z"));
        assert!(evaluated(&bundle, &log)[0].earned());
    }

    #[test]
    fn counts_streaks_and_awards() {
        let bundle = with_badges(vec![Criteria::WeeklyStreak { weeks: 2 }, Criteria::Awarded]);
        let mut log = EventLog::default();
        log.insert(Event::activity_completed(
            Uuid::from_u128(1),
            "orbite-intro",
            "2026-11-16T10:00:00Z".into(),
        ));
        let statuses = evaluated(&bundle, &log);
        assert_eq!(
            statuses[0].missing(),
            Some(&Missing::Weeks {
                have: 1,
                need: 2,
                late: 0
            })
        );
        assert_eq!(statuses[1].missing(), Some(&Missing::Award));
        log.insert(Event::activity_completed(
            Uuid::from_u128(2),
            "orbite-intro",
            "2026-11-23T10:00:00Z".into(),
        ));
        let award = Payload::Award(Award {
            badge_id: "b1".into(),
            reason: None,
        });
        log.insert(Event::new(
            Uuid::from_u128(3),
            None,
            "2026-11-23T10:00:00Z".into(),
            &award,
        ));
        let statuses = evaluated(&bundle, &log);
        assert!(statuses.iter().all(BadgeStatus::earned));
    }

    #[test]
    fn an_earned_badge_carries_the_first_completions_and_the_latest_of_their_times() {
        let bundle = with_badges(vec![Criteria::ModuleCompleted {
            module: "orbite".into(),
        }]);
        let mut log = EventLog::default();
        // Done twice on two devices: the first completion counts, whatever the order of arrival.
        log.insert(Event::activity_completed(
            Uuid::from_u128(9),
            "orbite-intro",
            "2026-11-25T12:00:00Z".into(),
        ));
        log.insert(Event::activity_completed(
            Uuid::from_u128(3),
            "orbite-intro",
            "2026-11-25T11:00:00+01:00".into(),
        ));
        log.insert(finishing(&bundle, 5, "orbite-quiz", "2026-11-25T10:30:00Z"));
        let statuses = evaluated(&bundle, &log);
        let earned = statuses[0].outcome.as_ref().unwrap();
        // 11:00+01:00 is 10:00Z, before the quiz at 10:30Z.
        assert_eq!(earned.on, "2026-11-25T10:30:00Z");
        assert_eq!(earned.events, vec![Uuid::from_u128(3), Uuid::from_u128(5)]);
    }

    #[test]
    fn challenges_count_once_their_latest_review_approves_them() {
        let mut bundle = with_badges(vec![Criteria::ChallengesApproved {
            count: 1,
            path: None,
        }]);
        let mut challenge = bundle.paths[0].modules[0].activities[0].clone();
        challenge.id = "orbite-sfida".into();
        challenge.details = crate::Details::Challenge(crate::Challenge {
            evidence: vec![],
            materials: vec![],
            safety: vec![],
            steps: vec![],
        });
        bundle.paths[0].modules[0].activities.push(challenge);
        let mut log = EventLog::default();
        log.insert(finishing(
            &bundle,
            1,
            "orbite-sfida",
            "2026-11-20T10:00:00Z",
        ));
        let changes = Verdict::ChangesRequested;
        log.insert(review(2, "orbite-sfida", "2026-11-21T10:00:00Z", changes));
        let statuses = evaluated(&bundle, &log);
        assert_eq!(
            statuses[0].missing(),
            Some(&Missing::ChallengesApproved { have: 0, need: 1 })
        );
        log.insert(review(
            3,
            "orbite-sfida",
            "2026-11-22T10:00:00Z",
            Verdict::Approved,
        ));
        let statuses = evaluated(&bundle, &log);
        assert_eq!(
            statuses[0].outcome,
            Ok(Earned {
                on: "2026-11-22T10:00:00Z".into(),
                events: vec![Uuid::from_u128(3)]
            })
        );
        // A later request for changes takes the approval back.
        log.insert(review(4, "orbite-sfida", "2026-11-23T10:00:00Z", changes));
        assert!(!evaluated(&bundle, &log)[0].earned());
    }
}
