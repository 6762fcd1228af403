//! What a group of cohorts reached, counted before the small-cell rule is applied.

use super::self_assessment::Scores;
use crate::account::Role;
use crate::cohort::{Cohort, MemberLog};
use crate::content::{ActivityKind, Bundle, Path};
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
        let anyone = !cohort.members.is_empty() || cohort.erased.people() > 0;
        self.cohorts_run += usize::from(anyone);
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
        for member in &cohort.members {
            self.absorb(&Self::of_member(
                bundle,
                cohort.path,
                cohort.xp_and_streaks,
                member,
            ));
        }
        self.absorb(&cohort.erased);
    }

    /// What one member of a cohort on `path` adds to the counts (all but `active`, which is about
    /// now): kept, summed with no one identifiable, when the member's account is erased.
    pub fn of_member(
        bundle: &Bundle,
        path: &Path,
        xp_and_streaks: bool,
        member: &MemberLog,
    ) -> Self {
        let mut reach = Self::default();
        match member.member.role {
            Role::Learner => {
                reach.young_people = 1;
                reach.completed = usize::from(member.progress.path_percent(path) == 100);
                reach.badges = member.badges(bundle, xp_and_streaks).len();
                reach.family_tasks = path
                    .activities()
                    .filter(|a| {
                        a.kind() == ActivityKind::FamilyTask && member.progress.is_done(&a.id)
                    })
                    .count();
            }
            Role::Parent => reach.parents = 1,
            Role::Educator | Role::Admin => {}
        }
        if let Some(scores) = member.summary.before_and_after(&path.id) {
            reach.self_assessed.add(scores);
        }
        reach
    }

    /// The young people and parents counted.
    pub fn people(&self) -> usize {
        self.young_people + self.parents
    }

    /// Adds `other`'s counts to these.
    pub fn absorb(&mut self, other: &Self) {
        self.cohorts_run += other.cohorts_run;
        self.startups += other.startups;
        self.young_people += other.young_people;
        self.parents += other.parents;
        self.active += other.active;
        self.completed += other.completed;
        self.badges += other.badges;
        self.family_tasks += other.family_tasks;
        self.self_assessed.people += other.self_assessed.people;
        self.self_assessed.before += other.self_assessed.before;
        self.self_assessed.after += other.self_assessed.after;
    }

    /// What these counts have that `later` lost: a relative's family tasks and badges that
    /// counted an erased parent's confirmations (never below zero).
    pub fn lost_in(&self, later: &Self) -> Self {
        let scores = &self.self_assessed;
        let gone = scores.people.saturating_sub(later.self_assessed.people);
        Self {
            young_people: self.young_people.saturating_sub(later.young_people),
            parents: self.parents.saturating_sub(later.parents),
            completed: self.completed.saturating_sub(later.completed),
            badges: self.badges.saturating_sub(later.badges),
            family_tasks: self.family_tasks.saturating_sub(later.family_tasks),
            self_assessed: Scores {
                people: gone,
                before: if gone > 0 {
                    scores.before - later.self_assessed.before
                } else {
                    0.0
                },
                after: if gone > 0 {
                    scores.after - later.self_assessed.after
                } else {
                    0.0
                },
            },
            ..Self::default()
        }
    }
}
