//! Device times (RFC 3339) compared as instants. Times from different devices carry different
//! offsets, so comparing the strings would put "10:00+01:00" after "09:30Z".

use crate::streaks::days_from_civil;
use std::cmp::Ordering;

/// Seconds since 1970 (UTC) and nanoseconds.
type Instant = (i64, u32);

/// The instant of an RFC 3339 time such as `2026-11-25T10:00:00.250+01:00`; `None` if malformed.
fn instant(at: &str) -> Option<Instant> {
    let number = |range: std::ops::Range<usize>| at.get(range)?.parse::<u32>().ok();
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
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
    let nanos = match digits {
        0 => 0,
        n => {
            let fraction = &rest[1..=n.min(9)];
            fraction.parse::<u32>().ok()? * 10u32.pow(9 - fraction.len() as u32)
        }
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
            let (hours, minutes) = (
                zone.get(1..3)?.parse::<i64>().ok()?,
                zone.get(4..6)?.parse::<i64>().ok()?,
            );
            if zone.len() != 6 || zone.get(3..4) != Some(":") {
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
    if a.len() == b.len() && zone(a) == zone(b) {
        return a.cmp(b);
    }
    instant(a).cmp(&instant(b))
}

/// Whole days from `from` to `to` (negative when `to` is earlier); `None` if either is malformed.
pub fn days_between(from: &str, to: &str) -> Option<i64> {
    let (from, to) = (instant(from)?, instant(to)?);
    Some((to.0 - from.0 - i64::from(to.1 < from.1)).div_euclid(86_400))
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
            compare("2026-11-25T10:00:00.5Z", "2026-11-25T10:00:00Z"),
            Ordering::Greater
        );
        for bad in [
            "ieri",
            "2026-11-25",
            "2026-11-25T10:00:00",
            "2026-13-25T10:00:00Z",
            "2026-11-25T10:00:00+0100",
        ] {
            assert_eq!(instant(bad), None, "{bad}");
        }
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
}
