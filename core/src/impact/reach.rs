//! What a group of cohorts reached, counted before the small-cell rule is applied.

use super::self_assessment::{self, Scores};
use crate::account::Role;
use crate::cohort::Cohort;
use crate::content::{ActivityKind, Bundle};
use crate::time::days_between;

/// Someone is active if they did something in this many days up to now.
pub const ACTIVE_DAYS: i64 = 30;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Reach {
    /// Cohorts with at least one member: the education paths actually run.
    pub cohorts_run: usize,
    pub startups: u32,
    pub young_people: usize,
    pub parents: usize,
    /// Young people and parents with an action of their own in the last [`ACTIVE_DAYS`].
    pub active: usize,
    /// Young people who finished their cohort's path.
    pub completed: usize,
    /// Badges the young people earned.
    pub badges: usize,
    /// Family tasks the young people did with a parent (both confirmed).
    pub family_tasks: usize,
    pub self_assessed: Scores,
}

impl Reach {
    pub fn of<'c>(
        bundle: &Bundle,
        cohorts: impl IntoIterator<Item = &'c Cohort<'c>>,
        now: &str,
    ) -> Self {
        let mut reach = Self::default();
        for cohort in cohorts {
            reach.add(bundle, cohort, now);
        }
        reach
    }

    fn add(&mut self, bundle: &Bundle, cohort: &Cohort, now: &str) {
        self.cohorts_run += usize::from(!cohort.members.is_empty());
        self.startups += cohort.startups.unwrap_or(0);
        self.active += cohort
            .members
            .iter()
            .filter(|m| {
                m.last_activity()
                    .and_then(|at| days_between(at, now))
                    .is_some_and(|days| days < ACTIVE_DAYS)
            })
            .count();
        self.parents += cohort.with_role(Role::Parent).count();
        for learner in cohort.with_role(Role::Learner) {
            self.young_people += 1;
            self.completed += usize::from(learner.progress.path_percent(cohort.path) == 100);
            self.badges += learner.badges(bundle, cohort.xp_and_streaks).len();
            self.family_tasks += cohort
                .path
                .activities()
                .filter(|a| a.kind() == ActivityKind::FamilyTask && learner.progress.is_done(&a.id))
                .count();
        }
        for member in &cohort.members {
            if let Some(scores) = self_assessment::before_and_after(member, &cohort.path.id) {
                self.self_assessed.add(scores);
            }
        }
    }
}
