//! The digital-skills self-assessment (`self_assessed` events) before and after a path: only
//! aggregated here, over the people who answered both times.

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
