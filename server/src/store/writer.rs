//! The one writer of pushes: a task that owns its own connection and runs the jobs waiting in
//! one `BEGIN IMMEDIATE … COMMIT`, so that one fsync serves several pushes (group commit). Each
//! job runs inside its own savepoint: one that fails is undone alone, one that panics answers its
//! caller with an error and the others go on. A job's answer is sent only after the COMMIT
//! returned, so an acknowledgement still means the data survives a power cut (`synchronous=FULL`).

use super::backend::{Backend, Conn, Lock, execute, lock, on};
use sqlx::{Connection, PgConnection, SqliteConnection};
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::task::Poll;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

/// At most this many jobs share a commit: a push holds at most `MAX_PUSH_EVENTS` events, so a
/// commit stays a few thousand rows.
const JOBS_PER_COMMIT: usize = 16;
/// Jobs waiting beyond this make their senders wait.
const QUEUE: usize = 256;

pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// How a job answers its caller once the commit's fate is known.
type Answer = Box<dyn FnOnce(Result<(), WriteError>) + Send>;

/// What a job did: whether to keep its writes, and its answer.
struct Done {
    keep: bool,
    answer: Answer,
}

type Job = Box<dyn for<'c> FnOnce(Conn<'c>) -> BoxFuture<'c, Done> + Send>;

/// The writer's own connection, to either database.
pub type OwnConnection = Backend<SqliteConnection, PgConnection>;

/// Why a job's writes are not (known to be) stored.
#[derive(Debug, Clone, thiserror::Error)]
pub enum WriteError {
    #[error("the group commit failed: {0}")]
    Commit(String),
    /// It panicked, or the writer stopped before running it.
    #[error("the job ended without an answer")]
    Unanswered,
}

/// A handle on the writer: cheap to clone.
#[derive(Clone)]
pub struct Writer {
    jobs: mpsc::Sender<Job>,
}

impl Writer {
    /// Starts the writer's task on its own connection; each commit waits `commit_delay` first
    /// (see `gate::Bounds`).
    pub fn start(conn: OwnConnection, commit_delay: Duration) -> (Self, Stopper) {
        let (jobs, queue) = mpsc::channel(QUEUE);
        let (stop, stopped) = oneshot::channel();
        let task = tokio::spawn(serve(conn, queue, stopped, commit_delay));
        (Self { jobs }, Stopper { stop, task })
    }

    /// Runs `work` in the next group commit; its answer once the commit is durable. An error
    /// from `work` undoes its writes only.
    pub async fn run<T, E, W>(&self, work: W) -> Result<T, E>
    where
        T: Send + 'static,
        E: From<WriteError> + Send + 'static,
        W: for<'c> FnOnce(Conn<'c>) -> BoxFuture<'c, Result<T, E>> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let job: Job = Box::new(move |conn| {
            Box::pin(async move {
                let result = work(conn).await;
                Done {
                    keep: result.is_ok(),
                    answer: Box::new(move |committed: Result<(), WriteError>| {
                        let _ = reply.send(committed.map_err(E::from).and(result));
                    }),
                }
            })
        });
        self.jobs
            .send(job)
            .await
            .map_err(|_| WriteError::Unanswered)?;
        // A job that panicked, or that the stopped writer dropped, dropped `reply` unsent.
        answer.await.map_err(|_| WriteError::Unanswered)?
    }
}

/// Stops the writer once the requests are over, so that its connection is closed before the
/// database is.
pub struct Stopper {
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

impl Stopper {
    pub async fn stop(self) {
        let _ = self.stop.send(());
        if let Err(err) = self.task.await {
            tracing::error!(error = %err, "the writer's task failed");
        }
    }
}

async fn serve(
    mut conn: OwnConnection,
    mut queue: mpsc::Receiver<Job>,
    mut stop: oneshot::Receiver<()>,
    commit_delay: Duration,
) {
    let mut jobs = Vec::with_capacity(JOBS_PER_COMMIT);
    loop {
        tokio::select! {
            // Jobs already waiting are served before stopping.
            biased;
            taken = queue.recv_many(&mut jobs, JOBS_PER_COMMIT) => if taken == 0 { break },
            _ = &mut stop => break,
        }
        let mut answers = Vec::with_capacity(jobs.len());
        let committed = group(conn.conn(), jobs.drain(..), &mut answers, commit_delay).await;
        if let Err(err) = &committed {
            tracing::error!(error = %err, "group commit failed");
            let _ = execute(conn.conn(), "ROLLBACK").await;
        }
        let committed = committed.map_err(|err| WriteError::Commit(err.to_string()));
        for answer in answers {
            answer(committed.clone());
        }
    }
    queue.close();
    if let Err(err) = on!(conn, c => c.close().await) {
        tracing::error!(error = %err, "cannot close the writer's connection");
    }
}

/// One transaction for `jobs`, each in a savepoint; their answers go to `answers`.
async fn group(
    mut conn: Conn<'_>,
    jobs: impl Iterator<Item = Job>,
    answers: &mut Vec<Answer>,
    commit_delay: Duration,
) -> Result<(), sqlx::Error> {
    let begin = match conn {
        Backend::Sqlite(_) => "BEGIN IMMEDIATE",
        Backend::Postgres(_) => "BEGIN",
    };
    execute(conn.reborrow(), begin).await?;
    lock(conn.reborrow(), Lock::Writes).await?;
    for job in jobs {
        execute(conn.reborrow(), "SAVEPOINT job").await?;
        let done = unwinding(job(conn.reborrow())).await;
        if !done.as_ref().is_ok_and(|done| done.keep) {
            execute(conn.reborrow(), "ROLLBACK TO job").await?;
        }
        execute(conn.reborrow(), "RELEASE job").await?;
        if let Ok(done) = done {
            answers.push(done.answer);
        }
    }
    if !commit_delay.is_zero() {
        tokio::time::sleep(commit_delay).await;
    }
    execute(conn, "COMMIT").await
}

/// Runs `future`, catching a panic in it as `Err` (the future, and what it owns, is dropped).
async fn unwinding<T>(future: BoxFuture<'_, T>) -> Result<T, ()> {
    let mut future = future;
    std::future::poll_fn(|cx| {
        match std::panic::catch_unwind(AssertUnwindSafe(|| future.as_mut().poll(cx))) {
            Ok(Poll::Ready(value)) => Poll::Ready(Ok(value)),
            Ok(Poll::Pending) => Poll::Pending,
            Err(_) => Poll::Ready(Err(())),
        }
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db;
    use sqlx::ConnectOptions;

    async fn writer() -> (Writer, Stopper, SqliteConnection, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let options = db::options(&dir.path().join("w.db")).create_if_missing(true);
        let mut reader = options.connect().await.unwrap();
        sqlx::query("CREATE TABLE t (n INTEGER PRIMARY KEY)")
            .execute(&mut reader)
            .await
            .unwrap();
        let own = Backend::Sqlite(options.connect().await.unwrap());
        let (writer, stopper) = Writer::start(own, Duration::ZERO);
        (writer, stopper, reader, dir)
    }

    /// Inserts `n`, then fails if `fail`.
    async fn insert(writer: &Writer, n: i64, fail: bool) -> Result<i64, WriteError> {
        writer
            .run(move |conn| {
                Box::pin(async move {
                    on!(conn, c => sqlx::query("INSERT INTO t VALUES ($1)")
                        .bind(n)
                        .execute(c)
                        .await
                        .map(drop))
                    .map_err(|err| WriteError::Commit(err.to_string()))?;
                    if fail {
                        return Err(WriteError::Commit("refused".into()));
                    }
                    Ok(n)
                })
            })
            .await
    }

    async fn stored(reader: &mut SqliteConnection) -> Vec<i64> {
        sqlx::query_scalar("SELECT n FROM t ORDER BY n")
            .fetch_all(reader)
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn many_jobs_at_once_are_each_stored_and_answered_after_the_commit() {
        let (writer, stopper, mut reader, _dir) = writer().await;
        let mut jobs = tokio::task::JoinSet::new();
        for n in 0..64 {
            let writer = writer.clone();
            jobs.spawn(async move { insert(&writer, n, false).await });
        }
        let answers = jobs.join_all().await;
        assert!(answers.iter().all(Result::is_ok), "{answers:?}");
        // Answered, hence committed: another connection sees every row.
        assert_eq!(stored(&mut reader).await, (0..64).collect::<Vec<_>>());
        stopper.stop().await;
    }

    #[tokio::test]
    async fn a_failing_job_undoes_only_its_own_writes() {
        let (writer, stopper, mut reader, _dir) = writer().await;
        let (a, b, c) = tokio::join!(
            insert(&writer, 1, false),
            insert(&writer, 2, true),
            insert(&writer, 3, false)
        );
        assert_eq!((a.unwrap(), c.unwrap()), (1, 3));
        assert!(b.is_err());
        assert_eq!(stored(&mut reader).await, [1, 3]);
        stopper.stop().await;
    }

    #[tokio::test]
    async fn a_panicking_job_answers_its_caller_only_and_the_writer_goes_on() {
        let (writer, stopper, mut reader, _dir) = writer().await;
        let panicking = writer.run(|conn| {
            Box::pin(async move {
                execute(conn, "INSERT INTO t VALUES (2)").await.unwrap();
                panic!("a bug in a job");
                #[allow(unreachable_code)]
                Ok::<(), WriteError>(())
            })
        });
        let (a, b, c) = tokio::join!(
            insert(&writer, 1, false),
            panicking,
            insert(&writer, 3, false)
        );
        assert_eq!((a.unwrap(), c.unwrap()), (1, 3));
        assert!(matches!(b, Err(WriteError::Unanswered)), "{b:?}");
        assert_eq!(insert(&writer, 4, false).await.unwrap(), 4);
        assert_eq!(stored(&mut reader).await, [1, 3, 4]);
        stopper.stop().await;
    }

    #[tokio::test]
    async fn once_stopped_a_job_is_refused() {
        let (writer, stopper, _reader, _dir) = writer().await;
        stopper.stop().await;
        assert!(matches!(
            insert(&writer, 1, false).await,
            Err(WriteError::Unanswered)
        ));
    }
}
