//! Kind streaks: counted in weeks with at least one activity, forgiving one missed week.
//! Never daily pressure.

use crate::badges::insert_sorted;
use crate::events::{Event, EventLog};
use crate::progress::{Stamp, chronological};
use std::collections::BTreeMap;

/// The week number (Monday-based, since 1970) of an RFC 3339 time, from its date part.
pub fn week_of(at: &str) -> Option<i64> {
    let date = at.get(..10)?;
    let mut parts = date.split('-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: u32 = parts.next()?.parse().ok()?;
    let day: u32 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    // 1970-01-01 was a Thursday: shift by 3 days so weeks start on Monday.
    Some((days_from_civil(year, month, day) + 3).div_euclid(7))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub(crate) fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The longest streak in the log: active weeks in a row, where one missed week does not break it.
pub fn longest_weekly_streak(log: &EventLog) -> u32 {
    let mut weeks = Vec::new();
    for week in log.iter().filter_map(|e| week_of(&e.at)) {
        insert_sorted(&mut weeks, week);
    }
    streak_lengths(weeks.into_iter()).max().unwrap_or(0)
}

/// The first streak to reach `need` weeks, as the earliest event of each of its active weeks.
pub fn first_streak_of(log: &EventLog, need: u32) -> Option<Vec<Stamp>> {
    let mut earliest: BTreeMap<i64, &Event> = BTreeMap::new();
    for event in log.iter() {
        let Some(week) = week_of(&event.at) else {
            continue;
        };
        let first = earliest.entry(week).or_insert(event);
        if chronological(&event.at, event.id, &first.at, first.id).is_lt() {
            *first = event;
        }
    }
    let end = streak_lengths(earliest.keys().copied()).position(|length| length >= need)?;
    // A streak's active weeks are consecutive in the list of active weeks.
    let start = end + 1 - need as usize;
    Some(
        earliest
            .values()
            .skip(start)
            .take(need as usize)
            .map(|event| Stamp::of(event))
            .collect(),
    )
}

/// For each active week (ascending), the length of the streak ending with it.
fn streak_lengths(weeks: impl Iterator<Item = i64>) -> impl Iterator<Item = u32> {
    let mut current = 0;
    let mut grace_used = false;
    let mut previous: Option<i64> = None;
    weeks.map(move |week| {
        match previous.map(|p| week - p) {
            Some(1) => current += 1,
            Some(2) if !grace_used => {
                grace_used = true;
                current += 1;
            }
            _ => {
                current = 1;
                grace_used = false;
            }
        }
        previous = Some(week);
        current
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::Event;
    use uuid::Uuid;

    fn log_on(dates: &[&str]) -> EventLog {
        let mut log = EventLog::default();
        for (n, date) in dates.iter().enumerate() {
            log.insert(Event::activity_completed(
                Uuid::from_u128(n as u128),
                "a",
                format!("{date}T10:00:00Z"),
            ));
        }
        log
    }

    #[test]
    fn weeks_start_on_monday() {
        // 2026-11-23 is a Monday, 2026-11-29 the Sunday after it.
        assert_eq!(
            week_of("2026-11-23T00:00:00Z"),
            week_of("2026-11-29T23:59:59Z")
        );
        assert_eq!(
            week_of("2026-11-22T12:00:00Z").unwrap() + 1,
            week_of("2026-11-23T12:00:00Z").unwrap()
        );
        assert_eq!(week_of("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(week_of("ieri"), None);
        assert_eq!(week_of("2026-13-01T00:00:00Z"), None);
    }

    #[test]
    fn one_missed_week_is_forgiven_two_are_not() {
        // Weeks of 2 Nov, 9 Nov, (16 Nov missed), 23 Nov: a streak of 3 with its grace week used.
        assert_eq!(
            longest_weekly_streak(&log_on(&[
                "2026-11-02",
                "2026-11-03",
                "2026-11-09",
                "2026-11-23"
            ])),
            3
        );
        // A second gap ends the streak.
        assert_eq!(
            longest_weekly_streak(&log_on(&["2026-11-02", "2026-11-16", "2026-11-30"])),
            2
        );
        // Two missed weeks in a row end it too.
        assert_eq!(
            longest_weekly_streak(&log_on(&["2026-11-02", "2026-11-23"])),
            1
        );
        assert_eq!(longest_weekly_streak(&EventLog::default()), 0);
    }

    #[test]
    fn the_first_streak_to_reach_the_need_is_its_earliest_event_per_week() {
        let log = log_on(&[
            "2026-11-02",
            "2026-11-03",
            "2026-11-09",
            "2026-11-23",
            "2026-11-30",
        ]);
        let ats: Vec<String> = first_streak_of(&log, 2)
            .unwrap()
            .into_iter()
            .map(|s| s.at)
            .collect();
        assert_eq!(ats, ["2026-11-02T10:00:00Z", "2026-11-09T10:00:00Z"]);
        assert_eq!(first_streak_of(&log, 4).unwrap().len(), 4);
        assert_eq!(first_streak_of(&log, 5), None);
    }
}
