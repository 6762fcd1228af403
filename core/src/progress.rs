//! Progress derived from the event log. The same functions run in the app and on the server.

use crate::content::Path;
use crate::events::{EventKind, EventLog};
use std::collections::BTreeSet;

/// The ids of the activities the log marks as completed.
pub fn completed_activities(log: &EventLog) -> BTreeSet<&str> {
    log.iter()
        .filter(|e| e.kind == EventKind::ActivityCompleted)
        .filter_map(|e| e.activity_id.as_deref())
        .collect()
}

/// How much of a path is done, in whole percent (0 for a path with no activities).
pub fn path_percent(path: &Path, completed: &BTreeSet<&str>) -> u8 {
    let total = path.activities().count();
    if total == 0 {
        return 0;
    }
    let done = path.activities().filter(|a| completed.contains(a.id.as_str())).count();
    // done <= total, so the result is at most 100.
    (done * 100 / total) as u8
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::tests::sample_bundle;
    use crate::events::Event;
    use uuid::Uuid;

    #[test]
    fn percent_counts_each_activity_once() {
        let bundle = sample_bundle();
        let path = &bundle.paths[0];
        let mut log = EventLog::default();
        assert_eq!(path_percent(path, &completed_activities(&log)), 0);
        for n in 0..3 {
            // Completing the same activity on several devices still counts once.
            log.insert(Event::activity_completed(Uuid::from_u128(n), "orbite-intro", "t".into()));
        }
        assert_eq!(path_percent(path, &completed_activities(&log)), 50);
        log.insert(Event::activity_completed(Uuid::from_u128(9), "orbite-quiz", "t".into()));
        assert_eq!(path_percent(path, &completed_activities(&log)), 100);
    }
}
