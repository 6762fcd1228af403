//! Device time: the RFC 3339 instants events carry, parsed, compared, counted in days and weeks,
//! and events ordered by them. Times from different devices carry different offsets, so comparing
//! the strings would put "10:00+01:00" after "09:30Z".

use crate::events::Event;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use uuid::Uuid;

/// Seconds since 1970 (UTC) and nanoseconds.
type Instant = (i64, u32);

/// Whether `at` is a well-formed RFC 3339 time.
pub fn is_valid(at: &str) -> bool {
    instant(at).is_some()
}

/// The instant of an RFC 3339 time such as `2026-11-25T10:00:00.250+01:00`; `None` if malformed.
fn instant(at: &str) -> Option<Instant> {
    // `YYYY-MM-DDTHH:MM:SS`: digits (no sign) and separators in place, as RFC 3339 has them.
    let shape = at.len() >= 19
        && at.bytes().take(19).enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            10 => matches!(b, b'T' | b't'),
            13 | 16 => b == b':',
            _ => b.is_ascii_digit(),
        });
    if !shape {
        return None;
    }
    let number = |range: std::ops::Range<usize>| at.get(range)?.parse::<u32>().ok();
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
    if !(1..=12).contains(&month)
        || !(1..=days_in_month(year, month)).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let rest = at.get(19..)?;
    let digits = rest
        .strip_prefix('.')
        .map_or(0, |r| r.bytes().take_while(u8::is_ascii_digit).count());
    // At most nanoseconds: a time is copied into every summary that keeps its event, and a
    // fraction thousands of digits long would make each copy as long.
    let nanos = match digits {
        0 => 0,
        n @ 1..=9 => rest[1..=n].parse::<u32>().ok()? * 10u32.pow(9 - n as u32),
        _ => return None,
    };
    let zone = &rest[if digits == 0 { 0 } else { 1 + digits }..];
    let offset = match zone {
        "Z" | "z" => 0,
        _ => {
            let sign = match zone.get(..1)? {
                "+" => 1,
                "-" => -1,
                _ => return None,
            };
            let digits = |range: std::ops::Range<usize>| {
                let part = zone.get(range)?;
                part.bytes()
                    .all(|b| b.is_ascii_digit())
                    .then(|| part.parse::<i64>().ok())?
            };
            let (hours, minutes) = (digits(1..3)?, digits(4..6)?);
            if zone.len() != 6 || zone.get(3..4) != Some(":") || hours > 23 || minutes > 59 {
                return None;
            }
            sign * (hours * 3600 + minutes * 60)
        }
    };
    let days = days_from_civil(i64::from(year), month, day);
    let seconds = days * 86_400 + i64::from(hour * 3600 + minute * 60 + second) - offset;
    Some((seconds, nanos))
}

/// Compares two device times chronologically (a malformed one first). Times written alike (same
/// length, same offset) compare as text, which skips parsing for nearly every pair in a log.
pub fn compare(a: &str, b: &str) -> Ordering {
    // The separator too: RFC 3339 allows a lowercase `t`, which sorts after every digit.
    let alike = |i: usize| a.as_bytes().get(i) == b.as_bytes().get(i);
    if a.len() == b.len() && zone(a) == zone(b) && alike(10) {
        return a.cmp(b);
    }
    instant(a).cmp(&instant(b))
}

/// Whole days from `from` to `to` (negative when `to` is earlier); `None` if either is malformed.
pub fn days_between(from: &str, to: &str) -> Option<i64> {
    Some(seconds_between(from, to)?.div_euclid(86_400))
}

/// Whole seconds from `from` to `to` (negative when `to` is earlier); `None` if either is malformed.
pub fn seconds_between(from: &str, to: &str) -> Option<i64> {
    let (from, to) = (instant(from)?, instant(to)?);
    Some(to.0 - from.0 - i64::from(to.1 < from.1))
}

/// The week number (Monday-based, since 1970) of an RFC 3339 time, from its date part: the week
/// the person lived it in, in their own time zone.
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

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// An event as evidence: its id and device time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    pub id: Uuid,
    pub at: String,
}

impl Stamp {
    pub fn of(event: &Event) -> Self {
        Self {
            id: event.id,
            at: event.at.clone(),
        }
    }
}

/// Chronological (device time), then by id, so that which event is "first" or "latest" never
/// depends on the order the events arrived in.
impl Ord for Stamp {
    fn cmp(&self, other: &Self) -> Ordering {
        chronological(&self.at, self.id, &other.at, other.id)
    }
}

impl PartialOrd for Stamp {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

pub fn chronological(a_at: &str, a_id: Uuid, b_at: &str, b_id: Uuid) -> Ordering {
    compare(a_at, b_at).then(a_id.cmp(&b_id))
}

/// Whether `event` happened before the kept one (see [`chronological`]).
pub fn before(event: &Event, kept: &Stamp) -> bool {
    chronological(&event.at, event.id, &kept.at, kept.id).is_lt()
}

/// Whether `event` happened after the kept one.
pub fn after(event: &Event, kept: &Stamp) -> bool {
    chronological(&event.at, event.id, &kept.at, kept.id).is_gt()
}

/// The offset at the end of a time (`Z` or `+01:00`), or what stands there.
fn zone(at: &str) -> &str {
    let size = if at.ends_with(['Z', 'z']) { 1 } else { 6 };
    at.get(at.len().saturating_sub(size)..).unwrap_or(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_and_fractions_are_taken_into_account() {
        assert_eq!(instant("1970-01-01T00:00:00Z"), Some((0, 0)));
        assert_eq!(
            instant("2026-11-25T10:00:00+01:00"),
            instant("2026-11-25T09:00:00Z")
        );
        assert!(instant("2026-11-25T10:00:00+01:00") < instant("2026-11-25T09:30:00Z"));
        assert_eq!(
            instant("1970-01-01T00:00:01.25-00:30"),
            Some((1801, 250_000_000))
        );
        assert_eq!(
            compare("2026-11-25T10:00:00+01:00", "2026-11-25T09:30:00Z"),
            Ordering::Less
        );
        assert_eq!(
            compare("2026-11-25T10:00:00Z", "2026-11-25T09:30:00Z"),
            Ordering::Greater
        );
        assert_eq!(
            compare("2026-11-25t09:00:00Z", "2026-11-25T10:00:00Z"),
            Ordering::Less,
            "a lowercase separator is the same instant format"
        );
        assert_eq!(
            compare("2026-11-25T10:00:00.5Z", "2026-11-25T10:00:00Z"),
            Ordering::Greater
        );
        assert!(is_valid("2024-02-29T10:00:00Z"), "a leap day");
        assert!(is_valid("2026-11-25t10:00:00.5z"));
        for bad in [
            "ieri",
            "2026-11-25",
            "2026-11-25T10:00:00",
            "2026-13-25T10:00:00Z",
            "2026-11-25T10:00:00+0100",
            "2026-02-29T10:00:00Z",
            "2026-04-31T10:00:00Z",
            "2026/11/25T10:00:00Z",
            "2026-11-25 10:00:00Z",
            "+026-11-25T10:00:00Z",
            "2026-11-25T10:00:00+-1:00",
            "2026-11-25T10:00:00+24:00",
            "2026-11-25T10:00:00+01:60",
            "2026-11-25T10:00:00.1234567890Z",
        ] {
            assert_eq!(instant(bad), None, "{bad}");
        }
        let long = format!("2026-11-25T10:00:00.{}Z", "0".repeat(30_000));
        assert_eq!(
            instant(&long),
            None,
            "a fraction as long as an event may be"
        );
        assert_eq!(
            instant("2026-11-25T10:00:00.123456789Z"),
            instant("2026-11-25T10:00:00Z").map(|(s, _)| (s, 123_456_789))
        );
    }

    #[test]
    fn days_between_counts_whole_days_elapsed() {
        let days = |to| days_between("2026-11-01T10:00:00Z", to);
        assert_eq!(days("2026-11-15T10:00:00Z"), Some(14));
        assert_eq!(days("2026-11-15T09:59:59.999Z"), Some(13));
        assert_eq!(days("2026-11-15T11:00:00+01:00"), Some(14));
        assert_eq!(days("2026-11-01T10:00:00Z"), Some(0));
        assert_eq!(days("2026-10-31T10:00:00Z"), Some(-1));
        assert_eq!(days("ieri"), None);
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
}
