//! Bounded expensive work: Argon2 hashes (19 MiB and a core each) and photo decodes (up to
//! [`crate::photos::reencode::MAX_DECODE_BYTES`]) run a few at a time, so no flood of requests
//! can take the server's memory. The others wait their turn a while, then hear "busy" (503).

use std::sync::{Arc, Mutex, PoisonError, mpsc};
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, oneshot};

/// Argon2 hashes at once.
pub const HASHES_AT_ONCE: usize = 2;
/// Photo decodes at once.
pub const DECODES_AT_ONCE: usize = 1;
/// Data exports written at once: each reads its account's photos (200 at most, re-encoded at up to
/// 1280 px: a few hundred MB) into a temporary file, at the pace of the disk.
pub const EXPORTS_AT_ONCE: usize = 1;
/// Data exports being sent at once: each holds its temporary file (and disk) until its client has
/// read it or gone, however slowly it reads; more are told "busy" at once.
pub const EXPORTS_SENT_AT_ONCE: usize = 4;
/// How long a request waits for its turn before the answer 503 `busy`.
pub const WAIT: Duration = Duration::from_secs(5);
/// The seconds a client told "busy" waits before trying again (`Retry-After`).
pub const RETRY_AFTER_SECS: u32 = 5;

/// The limits on expensive work a server starts with.
#[derive(Debug, Clone, Copy)]
pub struct Bounds {
    /// How long a request waits for a hash or a decode; [`WAIT`] in a real server. Tests shorten it
    /// so that "busy" comes quickly however fast the machine hashes.
    pub wait: Duration,
    /// How long the writer keeps each group commit open before its COMMIT: nothing in a real
    /// server; a test slows one copy down to interleave its commits with another copy's.
    pub commit_delay: Duration,
}

impl Default for Bounds {
    fn default() -> Self {
        Self {
            wait: WAIT,
            commit_delay: Duration::ZERO,
        }
    }
}

/// No turn came within the wait.
#[derive(Debug, Clone, Copy, thiserror::Error)]
#[error("the server is busy")]
pub struct Busy;

/// Large blocks (an Argon2 hash's 19 MiB, a photo's pixels) always come from the system and go
/// back to it when freed. glibc otherwise raises this threshold after the first such block is
/// freed, and from then on serves them from its heaps, where 64-byte-aligned blocks of the same
/// size miss each other's freed space: the memory grew by 19 MiB at every hash. Process-wide;
/// called when a server is prepared.
pub fn return_large_blocks() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `mallopt` only sets an allocator parameter; any value is valid.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1024 * 1024);
    }
}

/// Work run during a turn.
type Job = Box<dyn FnOnce() + Send>;

/// At most `at_once` holders of a [`Turn`] at a time, the others queued first come first served;
/// the work of a turn runs on one of `at_once` threads of the gate's own. (On tokio's blocking
/// threads, each new thread's allocator would keep the memory its work freed, and the server's
/// memory would grow with the number of threads rather than with the turns.)
#[derive(Clone)]
pub struct Gate {
    slots: Arc<Semaphore>,
    wait: Duration,
    jobs: mpsc::Sender<Job>,
}

impl Gate {
    /// A gate with `at_once` turns and as many threads, named `name`; they end with the gate.
    pub fn new(name: &str, at_once: usize, wait: Duration) -> Self {
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for _ in 0..at_once {
            let queue = Arc::clone(&queue);
            let worker = move || {
                loop {
                    // The lock is held while waiting for a job, never while running one (the guard
                    // of a `while let` would live through the loop's body).
                    let job = queue.lock().unwrap_or_else(PoisonError::into_inner).recv();
                    match job {
                        Ok(job) => job(),
                        Err(_) => break,
                    }
                }
            };
            std::thread::Builder::new()
                .name(name.to_owned())
                .spawn(worker)
                .expect("a thread for expensive work");
        }
        Self {
            slots: Arc::new(Semaphore::new(at_once)),
            wait,
            jobs,
        }
    }

    /// The next turn, or [`Busy`] after the wait.
    pub async fn enter(&self) -> Result<Turn, Busy> {
        match tokio::time::timeout(self.wait, self.slots.clone().acquire_owned()).await {
            Ok(Ok(permit)) => Ok(Turn {
                permit,
                jobs: self.jobs.clone(),
            }),
            // The semaphore is never closed; a timeout is the only real case.
            Ok(Err(_)) | Err(_) => Err(Busy),
        }
    }
}

/// The work of a turn panicked.
#[derive(Debug, thiserror::Error)]
#[error("the work of a turn failed: it panicked")]
pub struct Failed;

/// A turn at expensive work; the next one in the queue goes when its work ends.
pub struct Turn {
    permit: OwnedSemaphorePermit,
    jobs: mpsc::Sender<Job>,
}

impl Turn {
    /// Runs `work` on the gate's threads and ends the turn when `work` ends: even if the request
    /// is dropped meanwhile (the client went away), the work is still counted while it runs.
    pub async fn run<T: Send + 'static>(
        self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Failed> {
        let Self { permit, jobs } = self;
        let (done, outcome) = oneshot::channel();
        let job: Job = Box::new(move || {
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work));
            drop(permit);
            let _ = done.send(result);
        });
        // The threads live as long as any sender, and `jobs` is one.
        jobs.send(job).map_err(|_| Failed)?;
        match outcome.await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(_)) | Err(_) => Err(Failed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_full_gate_answers_busy_after_the_wait_and_lets_in_once_a_turn_ends() {
        let gate = Gate::new("test", 1, Duration::from_millis(50));
        let first = gate.enter().await.unwrap();
        assert!(gate.enter().await.is_err(), "the only turn is taken");
        drop(first);
        assert!(gate.enter().await.is_ok());
    }

    #[tokio::test]
    async fn a_turn_lasts_as_long_as_its_work_even_when_its_request_is_gone() {
        let gate = Gate::new("test", 1, Duration::from_millis(50));
        let turn = gate.enter().await.unwrap();
        let (started, running) = oneshot::channel();
        let request = tokio::spawn(turn.run(move || {
            let _ = started.send(());
            std::thread::sleep(Duration::from_millis(300));
        }));
        running.await.unwrap();
        request.abort();
        assert!(gate.enter().await.is_err(), "the work still runs");
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(gate.enter().await.is_ok());
    }

    #[tokio::test]
    async fn the_turns_of_a_gate_run_side_by_side() {
        let gate = Gate::new("test", 2, Duration::from_millis(50));
        let barrier = Arc::new(std::sync::Barrier::new(2));
        let both = |barrier: Arc<std::sync::Barrier>| move || barrier.wait().is_leader();
        let first = gate.enter().await.unwrap().run(both(barrier.clone()));
        let second = gate.enter().await.unwrap().run(both(barrier));
        let (first, second) = tokio::join!(first, second);
        // Each waits for the other: they return only if both run at once.
        assert_ne!(first.unwrap(), second.unwrap());
    }

    #[tokio::test]
    async fn a_panic_ends_the_turn_and_the_thread_goes_on() {
        let gate = Gate::new("test", 1, Duration::from_millis(50));
        let panicked = gate.enter().await.unwrap().run(|| panic!("boom")).await;
        assert!(panicked.is_err());
        let turn = gate.enter().await.unwrap();
        assert_eq!(turn.run(|| 7).await.unwrap(), 7);
    }
}
