//! Badges earned from a person's log, and what is still missing for the others.
//! Pure functions of (content, log): the same answer in the app and on the server.

use crate::content::{ActivityKind, Badge, Bundle, Criteria, Path};
use crate::events::{EventKind, EventLog};
use crate::progress::{Progress, Status};
use crate::streaks::longest_weekly_streak;

/// What a locked badge still needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    /// These activities, by id, are not done yet.
    Activities(Vec<String>),
    /// `have` of `need` challenges approved.
    ChallengesApproved { have: u32, need: u32 },
    /// `have` of `need` family tasks confirmed by both.
    FamilyTasks { have: u32, need: u32 },
    /// `have` of `need` weeks in a row.
    Weeks { have: u32, need: u32 },
    /// An educator awards it.
    Award,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BadgeStatus<'a> {
    pub badge: &'a Badge,
    /// `None` when earned.
    pub missing: Option<Missing>,
}

impl BadgeStatus<'_> {
    pub fn earned(&self) -> bool {
        self.missing.is_none()
    }
}

/// Every badge of the programme, earned or with what it still needs.
pub fn evaluate<'a>(bundle: &'a Bundle, log: &EventLog, progress: &Progress) -> Vec<BadgeStatus<'a>> {
    bundle.badges.iter().map(|badge| BadgeStatus { badge, missing: missing(bundle, log, progress, badge) }).collect()
}

fn missing(bundle: &Bundle, log: &EventLog, progress: &Progress, badge: &Badge) -> Option<Missing> {
    let activities_left = |ids: Vec<&str>| {
        let left: Vec<String> = ids.into_iter().filter(|id| !progress.is_done(id)).map(str::to_owned).collect();
        (!left.is_empty()).then_some(Missing::Activities(left))
    };
    match &badge.criteria {
        Criteria::ActivitiesCompleted { activities } => activities_left(activities.iter().map(String::as_str).collect()),
        Criteria::ModuleCompleted { module } => {
            activities_left(bundle.module(module).map(|m| m.activities.iter().map(|a| a.id.as_str()).collect()).unwrap_or_default())
        }
        Criteria::PathCompleted { path } => {
            activities_left(bundle.path(path).map(|p| p.activities().map(|a| a.id.as_str()).collect()).unwrap_or_default())
        }
        Criteria::QuizPassed { activity } => activities_left(vec![activity.as_str()]),
        Criteria::ChallengesApproved { count, path } => {
            let have = count_in(bundle, path.as_deref(), ActivityKind::Challenge, |id| progress.status(id) == Status::Approved);
            (have < *count).then_some(Missing::ChallengesApproved { have, need: *count })
        }
        Criteria::FamilyTasksConfirmed { count, path } => {
            let have = count_in(bundle, path.as_deref(), ActivityKind::FamilyTask, |id| progress.is_done(id));
            (have < *count).then_some(Missing::FamilyTasks { have, need: *count })
        }
        Criteria::WeeklyStreak { weeks } => {
            let have = longest_weekly_streak(log);
            (have < *weeks).then_some(Missing::Weeks { have, need: *weeks })
        }
        Criteria::Awarded => {
            let awarded = log.iter().any(|e| {
                e.kind == EventKind::BadgeAwarded && e.data.get("badge_id").and_then(|b| b.as_str()) == Some(badge.id.as_str())
            });
            (!awarded).then_some(Missing::Award)
        }
    }
}

/// How many activities of `kind` (in `path`, or anywhere) satisfy `counts`.
fn count_in(bundle: &Bundle, path: Option<&str>, kind: ActivityKind, counts: impl Fn(&str) -> bool) -> u32 {
    let paths: Vec<&Path> = match path {
        Some(id) => bundle.path(id).into_iter().collect(),
        None => bundle.paths.iter().collect(),
    };
    let matching = paths.into_iter().flat_map(|p| p.activities()).filter(|a| a.kind() == kind && counts(&a.id));
    u32::try_from(matching.count()).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::tests::sample_bundle;
    use crate::events::Event;
    use crate::i18n::Localized;
    use uuid::Uuid;

    fn with_badges(criteria: Vec<Criteria>) -> Bundle {
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

    #[test]
    fn module_badge_lists_what_is_missing_then_is_earned() {
        let bundle = with_badges(vec![Criteria::ModuleCompleted { module: "orbite".into() }]);
        let mut log = EventLog::default();
        log.insert(Event::activity_completed(Uuid::from_u128(1), "orbite-intro", "2026-11-25T10:00:00Z".into()));
        let statuses = evaluate(&bundle, &log, &Progress::from_log(&log));
        assert_eq!(statuses[0].missing, Some(Missing::Activities(vec!["orbite-quiz".into()])));
        log.insert(Event::activity_completed(Uuid::from_u128(2), "orbite-quiz", "2026-11-25T10:00:00Z".into()));
        assert!(evaluate(&bundle, &log, &Progress::from_log(&log))[0].earned());
    }

    #[test]
    fn counts_streaks_and_awards() {
        let bundle = with_badges(vec![Criteria::WeeklyStreak { weeks: 2 }, Criteria::Awarded]);
        let mut log = EventLog::default();
        log.insert(Event::activity_completed(Uuid::from_u128(1), "orbite-intro", "2026-11-16T10:00:00Z".into()));
        let statuses = evaluate(&bundle, &log, &Progress::from_log(&log));
        assert_eq!(statuses[0].missing, Some(Missing::Weeks { have: 1, need: 2 }));
        assert_eq!(statuses[1].missing, Some(Missing::Award));
        log.insert(Event::activity_completed(Uuid::from_u128(2), "orbite-intro", "2026-11-23T10:00:00Z".into()));
        let mut award = Event::activity_completed(Uuid::from_u128(3), "orbite-intro", "2026-11-23T10:00:00Z".into());
        award.kind = EventKind::BadgeAwarded;
        award.data = serde_json::json!({"badge_id": "b1"});
        log.insert(award);
        let statuses = evaluate(&bundle, &log, &Progress::from_log(&log));
        assert!(statuses.iter().all(BadgeStatus::earned));
    }
}
