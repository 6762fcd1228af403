//! Kind streaks: counted in weeks with at least one activity, forgiving one missed week.
//! Never daily pressure.

use crate::events::Event;
use crate::time::{Stamp, seconds_between};
use std::collections::BTreeMap;

/// An event counts toward a streak only if it reached the server within this many days of its
/// device time: four weeks offline keep a streak, events dated years back do not.
pub const STREAK_WINDOW_DAYS: i64 = 28;

/// A person's weeks of activity: each week that counts with its earliest event, and how many
/// other weeks had activity that reached the server too late to count.
pub struct Weeks<'a> {
    pub(crate) counted: &'a BTreeMap<i64, Stamp>,
    pub late: u32,
}

impl Weeks<'_> {
    /// The longest streak: active weeks in a row, where one missed week does not break it.
    pub fn longest(&self) -> u32 {
        streak_lengths(self.counted.keys().copied())
            .max()
            .unwrap_or(0)
    }

    /// The first streak to reach `need` weeks, as the earliest event of each of its active weeks.
    pub fn first_streak_of(&self, need: u32) -> Option<Vec<Stamp>> {
        let end = streak_lengths(self.counted.keys().copied()).position(|length| length >= need)?;
        // A streak's active weeks are consecutive in the list of active weeks.
        let start = end + 1 - need as usize;
        Some(
            self.counted
                .values()
                .skip(start)
                .take(need as usize)
                .cloned()
                .collect(),
        )
    }
}

/// Whether the event reached the server within [`STREAK_WINDOW_DAYS`] of its device time;
/// provisionally yes while the device has not seen the server's receipt.
pub fn in_time(event: &Event) -> bool {
    event.received.as_ref().is_none_or(|received| {
        seconds_between(&event.at, &received.at)
            .is_some_and(|seconds| seconds <= STREAK_WINDOW_DAYS * 86_400)
    })
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
    use crate::content::tests::sample_bundle;
    use crate::events::{Event, EventLog, Received};
    use crate::fold::Fold;
    use crate::payload::FamilyRole;
    use crate::rules::Judged;
    use uuid::Uuid;

    fn log_on(dates: &[&str]) -> EventLog {
        let mut log = EventLog::default();
        for (n, date) in dates.iter().enumerate() {
            log.insert(Event::activity_completed(
                Uuid::from_u128(n as u128),
                "orbite-intro",
                format!("{date}T10:00:00Z"),
            ));
        }
        log
    }

    fn longest(log: &EventLog) -> u32 {
        Fold::of(&Judged::of(log, &sample_bundle()))
            .weeks()
            .longest()
    }

    #[test]
    fn one_missed_week_is_forgiven_two_are_not() {
        // Weeks of 2 Nov, 9 Nov, (16 Nov missed), 23 Nov: a streak of 3 with its grace week used.
        assert_eq!(
            longest(&log_on(&[
                "2026-11-02",
                "2026-11-03",
                "2026-11-09",
                "2026-11-23"
            ])),
            3
        );
        // A second gap ends the streak.
        assert_eq!(
            longest(&log_on(&["2026-11-02", "2026-11-16", "2026-11-30"])),
            2
        );
        // Two missed weeks in a row end it too.
        assert_eq!(longest(&log_on(&["2026-11-02", "2026-11-23"])), 1);
        assert_eq!(longest(&EventLog::default()), 0);
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
        let bundle = sample_bundle();
        let fold = Fold::of(&Judged::of(&log, &bundle));
        let weeks = fold.weeks();
        let ats: Vec<String> = weeks
            .first_streak_of(2)
            .unwrap()
            .into_iter()
            .map(|s| s.at)
            .collect();
        assert_eq!(ats, ["2026-11-02T10:00:00Z", "2026-11-09T10:00:00Z"]);
        assert_eq!(weeks.first_streak_of(4).unwrap().len(), 4);
        assert_eq!(weeks.first_streak_of(5), None);
    }

    #[test]
    fn only_events_that_reached_the_server_within_four_weeks_count() {
        let bundle = sample_bundle();
        let mut log = log_on(&["2020-01-06", "2020-01-13", "2026-11-02", "2026-11-09"]);
        let received = |n: u128, at: &str| Received {
            seq: n as i64,
            at: at.into(),
        };
        let mut late = {
            let mut marked = EventLog::default();
            for event in log.iter() {
                let mut event = event.clone();
                let n = event.id.as_u128();
                // The 2020 events arrived in 2026; the others 28 days (to the second) later.
                event.received = Some(received(
                    n,
                    if n < 2 {
                        "2026-11-20T10:00:00Z"
                    } else if n == 2 {
                        "2026-11-30T10:00:00Z"
                    } else {
                        "2026-12-07T10:00:00Z"
                    },
                ));
                marked.insert(event);
            }
            marked
        };
        let fold = Fold::of(&Judged::of(&late, &bundle));
        let weeks = fold.weeks();
        assert_eq!((weeks.longest(), weeks.late), (2, 2));
        // Provisionally, before the device knows when they arrived, every event counts.
        assert_eq!(Fold::of(&Judged::of(&log, &bundle)).weeks().longest(), 2);
        log.insert(Event::activity_completed(
            Uuid::from_u128(9),
            "orbite-intro",
            "2020-01-20T10:00:00Z".into(),
        ));
        assert_eq!(Fold::of(&Judged::of(&log, &bundle)).weeks().longest(), 3);
        // One second past the window does not count.
        let mut just_late = Event::activity_completed(
            Uuid::from_u128(10),
            "orbite-intro",
            "2026-11-16T10:00:00Z".into(),
        );
        just_late.received = Some(received(10, "2026-12-14T10:00:01Z"));
        late.insert(just_late);
        let fold = Fold::of(&Judged::of(&late, &bundle));
        let weeks = fold.weeks();
        assert_eq!((weeks.longest(), weeks.late), (2, 3));
    }

    #[test]
    fn a_linked_relatives_confirmation_is_not_the_owners_week() {
        let bundle = crate::testing::every_kind();
        let mut log = EventLog::default();
        let at = "2026-11-02T10:00:00Z";
        let mut mums = crate::testing::confirmation(1, "compito", at, FamilyRole::Parent);
        mums.user_id = Some("mum".into());
        log.insert(mums);
        let weeks = |owner| {
            Fold::of(&Judged::of(&log, &bundle).owned_by(owner))
                .weeks()
                .longest()
        };
        assert_eq!(weeks(Some("luna")), 0, "in Luna's log, her mother's doing");
        assert_eq!(weeks(Some("mum")), 1, "in her own log, hers");
    }
}
