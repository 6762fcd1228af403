//! The store's "now". Times are bound from here rather than computed by the database, so that one
//! SQL text serves SQLite and PostgreSQL. They are UTC text in the columns' own formats, which
//! sort as time: `2026-12-08T04:15:31.123Z` (SQLite's `strftime('%Y-%m-%dT%H:%M:%fZ')`, also
//! the columns' defaults) and, for expiry times shown to people, `2026-12-08T04:15:31Z`.

use time::macros::format_description;
use time::{Duration, OffsetDateTime};

/// Now, to the millisecond (cut, not rounded, as SQLite's `%f`).
pub fn now() -> String {
    at(Duration::ZERO)
}

/// Now moved by `offset` (negative: in the past), to the millisecond.
pub fn at(offset: Duration) -> String {
    let format =
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");
    moved(offset).format(format).unwrap_or_default()
}

/// Now, to the second.
pub fn now_seconds() -> String {
    at_seconds(Duration::ZERO)
}

/// Now moved by `offset`, to the second.
pub fn at_seconds(offset: Duration) -> String {
    let format = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    moved(offset).format(format).unwrap_or_default()
}

/// The UTC date `days` days ago, `2026-12-08`.
pub fn date_days_ago(days: u32) -> String {
    let format = format_description!("[year]-[month]-[day]");
    moved(-Duration::days(days.into()))
        .format(format)
        .unwrap_or_default()
}

fn moved(offset: Duration) -> OffsetDateTime {
    OffsetDateTime::now_utc().saturating_add(offset)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::Connection;
    use time::format_description::well_known::Rfc3339;

    /// Whether two stamps have the same shape (digits where digits are) and lie within a second.
    fn alike(ours: &str, sqlite: &str) -> bool {
        let shape = |text: &str| text.replace(|c: char| c.is_ascii_digit(), "0");
        let time = |text: &str| OffsetDateTime::parse(text, &Rfc3339).unwrap();
        shape(ours) == shape(sqlite) && (time(ours) - time(sqlite)).abs() < Duration::seconds(1)
    }

    /// The same text as SQLite's own clock gives, so stored and bound times compare as time.
    #[tokio::test]
    async fn formats_match_sqlites_strftime() {
        let mut db = sqlx::SqliteConnection::connect("sqlite::memory:")
            .await
            .unwrap();
        let (millis, seconds, date): (String, String, String) = sqlx::query_as(
            "SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-90 days'),
                    strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '+24 hours'), date('now', '-30 days')",
        )
        .fetch_one(&mut db)
        .await
        .unwrap();
        assert!(alike(&at(-Duration::days(90)), &millis), "{millis}");
        assert!(
            alike(&at_seconds(Duration::hours(24)), &seconds),
            "{seconds}"
        );
        assert_eq!(date_days_ago(30).len(), date.len());
        assert!(date_days_ago(31) < date && date <= date_days_ago(29));
        assert!(alike(&now(), &at(Duration::ZERO)));
    }
}
