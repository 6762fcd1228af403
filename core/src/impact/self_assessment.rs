//! The digital-skills self-assessment (`self_assessed` events) before and after a path: only
//! aggregated here, over the people who answered both times.

use crate::cohort::MemberLog;
use crate::payload::Moment;
use crate::payload::Payload;
use crate::time::Stamp;

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
    let (_, before) = answers(member, path_id, Moment::Before).min_by(|a, b| a.0.cmp(&b.0))?;
    let (_, after) = answers(member, path_id, Moment::After).max_by(|a, b| a.0.cmp(&b.0))?;
    Some((before, after))
}

/// Each answer of the member's about `path_id` at `moment`, with its mean.
fn answers<'m>(
    member: &'m MemberLog,
    path_id: &'m str,
    moment: Moment,
) -> impl Iterator<Item = (Stamp, f64)> + 'm {
    member.own_events().filter_map(move |e| match e.payload() {
        Some(Payload::SelfAssessed(a)) if a.path_id == path_id && a.moment == moment => {
            Some((Stamp::of(e), mean(&a.answers)?))
        }
        _ => None,
    })
}

/// The mean of the answers; `None` when there are none.
fn mean(answers: &[u8]) -> Option<f64> {
    let sum: u32 = answers.iter().map(|a| u32::from(*a)).sum();
    (!answers.is_empty()).then(|| f64::from(sum) / answers.len() as f64)
}
