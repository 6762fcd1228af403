//! The educator's dashboard of one cohort: a row per member and a row per activity of the path,
//! as localised tables (the screen and the CSV show the same cells).

mod activities;

use crate::account::Role;
use crate::cohort::{Cohort, MemberLog};
use crate::content::{Bundle, Path};
use crate::i18n::Lang;
use crate::table::Table;
use crate::time::Stamp;
use crate::time::{self, days_between};
use serde::{Deserialize, Serialize};

/// Two weeks without an activity newly done while the path is unfinished. Cohorts meet about
/// weekly, so this is two sessions' worth of nothing new: worth a word from the educator before
/// the gap grows. Quiz attempts that fail, or a challenge sent back, keep someone stuck: they are
/// at work but not moving on.
pub const STUCK_DAYS: i64 = 14;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    pub learners: Table,
    pub activities: Table,
}

/// The dashboard of `cohort` at `now` (RFC 3339).
pub fn dashboard(bundle: &Bundle, cohort: &Cohort, now: &str, lang: Lang) -> Dashboard {
    Dashboard {
        learners: learners(bundle, cohort, now, lang),
        activities: activities::table(cohort, lang),
    }
}

/// Learners first, then parents, each by nickname.
fn learners(bundle: &Bundle, cohort: &Cohort, now: &str, lang: Lang) -> Table {
    let mut table = Table::new(&[
        lang.pick("Soprannome", "Nickname"),
        lang.pick("Ruolo", "Role"),
        lang.pick("Avanzamento", "Progress"),
        lang.pick("Ultima attività", "Last activity"),
        lang.pick("Ultima sincronizzazione", "Last synced"),
        lang.pick("Bloccato", "Stuck"),
        lang.pick("Badge", "Badges"),
    ]);
    let mut members: Vec<&MemberLog> = cohort.members.iter().collect();
    members.sort_by_key(|m| {
        (
            m.member.role == Role::Parent,
            m.member.nickname.to_lowercase(),
        )
    });
    let never = lang.pick("mai", "never");
    for m in members {
        let badges = m.badges(bundle, cohort.xp_and_streaks);
        let names: Vec<&str> = badges.iter().map(|b| b.name.get(lang)).collect();
        let yes_no = if is_stuck(m, cohort.path, now) {
            lang.pick("sì", "yes")
        } else {
            "no"
        };
        table.rows.push(vec![
            m.member.nickname.clone(),
            role_name(m.member.role, lang).to_owned(),
            format!("{}%", m.progress.path_percent(cohort.path)),
            m.last_activity().map_or(never, date).to_owned(),
            m.member
                .last_synced_at
                .as_deref()
                .map_or_else(|| never.to_owned(), |at| synced(at, now, lang)),
            yes_no.to_owned(),
            match names.len() {
                0 => "0".to_owned(),
                n => format!("{n}: {}", names.join(", ")),
            },
        ]);
    }
    table
}

/// Stuck: the path is not finished and nothing of it has been newly done for [`STUCK_DAYS`]
/// whole days, counted from the last activity done, or from joining when that is later (or
/// nothing is done yet). An activity is "done" at its first completion (for a family task, the
/// second of the two confirmations).
pub fn is_stuck(member: &MemberLog, path: &Path, now: &str) -> bool {
    if member.progress.path_percent(path) == 100 {
        return false;
    }
    let last_done = path
        .activities()
        .filter_map(|a| member.progress.done_by(&a.id).iter().max())
        .max()
        .map(|stamp: &Stamp| stamp.at.as_str());
    let joined = member.member.joined_at.as_str();
    let since = last_done.map_or(joined, |done| {
        std::cmp::max_by(joined, done, |a, b| time::compare(a, b))
    });
    days_between(since, now).is_some_and(|days| days >= STUCK_DAYS)
}

fn role_name(role: Role, lang: Lang) -> &'static str {
    match role {
        Role::Parent => lang.pick("genitore", "parent"),
        _ => lang.pick("ragazzo/a", "young person"),
    }
}

/// The calendar date of an RFC 3339 time, as written (the device's own day).
fn date(at: &str) -> &str {
    at.get(..10).unwrap_or(at)
}

/// "2026-11-20 (non sincronizza da 5 giorni)"; just the date when synced in the last 24 hours.
fn synced(at: &str, now: &str, lang: Lang) -> String {
    match days_between(at, now).unwrap_or(0) {
        ..=0 => date(at).to_owned(),
        1 => format!(
            "{} ({})",
            date(at),
            lang.pick("non sincronizza da 1 giorno", "not synced for 1 day")
        ),
        n => match lang {
            Lang::It => format!("{} (non sincronizza da {n} giorni)", date(at)),
            Lang::En => format!("{} (not synced for {n} days)", date(at)),
        },
    }
}

#[cfg(test)]
mod tests;
