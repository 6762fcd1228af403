//! A person's progress as one value: what `GET /api/progress` answers and what the app shows,
//! computed by the same functions on the phone and on the server.

use crate::badges::evaluate;
use crate::content::Bundle;
use crate::fold::Fold;
use crate::progress::{Progress, Status};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProgressReport {
    /// Every activity started, with where the person is with it.
    pub activities: BTreeMap<String, Status>,
    /// Every path, in whole percent done.
    pub paths: BTreeMap<String, u8>,
    pub xp: u32,
    /// The ids of the badges earned.
    pub badges: Vec<String>,
}

/// The report of a person's folded log (their events and their linked relatives' confirmations).
pub fn report(bundle: &Bundle, fold: &Fold) -> ProgressReport {
    let progress = Progress::of(fold);
    let activities = bundle
        .paths
        .iter()
        .flat_map(|p| p.activities())
        .map(|a| (a.id.clone(), progress.status(&a.id)))
        .filter(|(_, status)| *status != Status::NotStarted)
        .collect();
    ProgressReport {
        activities,
        paths: bundle
            .paths
            .iter()
            .map(|p| (p.id.clone(), progress.path_percent(p)))
            .collect(),
        xp: progress.xp(bundle),
        badges: evaluate(bundle, fold, &progress)
            .into_iter()
            .filter(|s| s.earned())
            .map(|s| s.badge.id.clone())
            .collect(),
    }
}
