//! The digital-skills self-assessment (`self_assessed` events) before and after a path: only
//! aggregated here, over the people who answered both times.

use crate::cohort::MemberLog;
use crate::events::{Event, EventKind};
use crate::progress::Stamp;

/// The sums of each person's mean answer, before and after, over `people`.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Scores {
    pub people: usize,
    pub before: f64,
    pub after: f64,
}

impl Scores {
    pub fn add(&mut self, (before, after): (f64, f64)) {
        self.people += 1;
        self.before += before;
        self.after += after;
    }

    /// The mean before and after, over the people who answered both (`None` for nobody).
    pub fn means(&self) -> Option<(f64, f64)> {
        let people = self.people as f64;
        (self.people > 0).then(|| (self.before / people, self.after / people))
    }
}

/// A person's mean answer on `path_id` before (their first "before") and after (their latest
/// "after"); `None` unless they answered both.
pub fn before_and_after(member: &MemberLog, path_id: &str) -> Option<(f64, f64)> {
    let (_, before) = answers(member, path_id, "before").min_by(|a, b| a.0.cmp(&b.0))?;
    let (_, after) = answers(member, path_id, "after").max_by(|a, b| a.0.cmp(&b.0))?;
    Some((before, after))
}

/// Each well-formed answer of the member's about `path_id` at `moment`, with its mean.
fn answers<'m>(
    member: &'m MemberLog,
    path_id: &'m str,
    moment: &'m str,
) -> impl Iterator<Item = (Stamp, f64)> + 'm {
    member.own_events().filter_map(move |e| {
        let data = &e.data;
        let about = e.kind == EventKind::SelfAssessed
            && data.get("path_id").and_then(|p| p.as_str()) == Some(path_id)
            && data.get("moment").and_then(|m| m.as_str()) == Some(moment);
        about
            .then(|| Some((Stamp::of(e), mean_answer(e)?)))
            .flatten()
    })
}

/// The mean of `data.answers`, each 1 to 4; `None` when there are none or one is out of range.
fn mean_answer(event: &Event) -> Option<f64> {
    let answers = event.data.get("answers")?.as_array()?;
    let values: Option<Vec<u64>> = answers
        .iter()
        .map(|a| a.as_u64().filter(|v| (1..=4).contains(v)))
        .collect();
    let values = values.filter(|v| !v.is_empty())?;
    Some(values.iter().sum::<u64>() as f64 / values.len() as f64)
}
