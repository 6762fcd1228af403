//! Background work that must not overlap with itself (the sync, the programme's refresh): a run
//! asked for while one is going is folded into one more run after it.

use std::cell::Cell;
use std::ops::ControlFlow;
use std::pin::Pin;
use std::thread::LocalKey;

/// Whether a run is going, and whether another was asked for meanwhile; kept in a `thread_local!`.
#[derive(Default)]
pub struct OneAtATime(Cell<(bool, bool)>);

/// A run of the work; boxed, so that one `run` serves every job and the app's wasm stays small.
pub type Job<'a> = &'a dyn Fn() -> Pin<Box<dyn Future<Output = ControlFlow<()>>>>;

impl OneAtATime {
    pub const fn new() -> Self {
        Self(Cell::new((false, false)))
    }

    /// Runs `job` now, or once more after the run that is going. The extra run happens even if
    /// this one failed, since what asked for it may be the network coming back; only
    /// `ControlFlow::Break` (say, a refused token) ends it regardless.
    pub async fn run(work: &'static LocalKey<Self>, job: Job<'_>) {
        let get = || work.with(|cell| cell.0.get());
        let set = |value| work.with(|cell| cell.0.set(value));
        if get().0 {
            set((true, true));
            return;
        }
        loop {
            set((true, false));
            if job().await.is_break() || !get().1 {
                break;
            }
        }
        set((false, false));
    }
}
