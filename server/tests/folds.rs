//! The summaries kept for badges, progress and reports (`store::folds`) are always what folding
//! the whole log again gives: after pushes in many batches, and when a family link is confirmed or ended or a
//! relative erased while pushes and reads run at the same moment.

mod common;

use common::{
    Account, TestServer, Workspace, completed, family_cohort_run_by_maria, fixture_content,
};
use officina_core::Bundle;
use officina_core::progress::Progress;
use officina_core::summary::{self, Summary};
use officina_server::on;
use officina_server::store::backend::Db;
use officina_server::store::{events, folds};
use reqwest::Method;
use serde_json::{Value, json};
use sqlx::{Postgres, Sqlite};
use uuid::Uuid;

fn bundle() -> Bundle {
    let content = officina_server::content::load(&fixture_content()).unwrap();
    content.bundle.clone()
}

/// A value a test binds on either database.
trait Bind:
    for<'q> sqlx::Encode<'q, Sqlite>
    + sqlx::Type<Sqlite>
    + for<'q> sqlx::Encode<'q, Postgres>
    + sqlx::Type<Postgres>
    + Clone
    + Send
    + 'static
{
}

impl<T> Bind for T where
    T: for<'q> sqlx::Encode<'q, Sqlite>
        + sqlx::Type<Sqlite>
        + for<'q> sqlx::Encode<'q, Postgres>
        + sqlx::Type<Postgres>
        + Clone
        + Send
        + 'static
{
}

/// The summary the server keeps for `user`, and the summary of their whole stored log.
async fn kept_and_whole(db: &Db, bundle: &Bundle, user: &Account) -> (Summary, Summary) {
    let kept = folds::current(db, bundle, &user.id).await.unwrap();
    let log = log_of(db, &user.id).await;
    (kept, Summary::of_log(&log, bundle, &user.id))
}

async fn log_of(db: &Db, user_id: &str) -> officina_core::EventLog {
    let mut conn = db.acquire().await.unwrap();
    events::log_of(conn.conn(), user_id).await.unwrap()
}

/// The summaries the reports read for `people` together are those of their whole logs.
async fn assert_listed_are_whole(db: &Db, bundle: &Bundle, people: &[&Account]) {
    let ids: Vec<&str> = people.iter().map(|p| p.id.as_str()).collect();
    let listed = folds::current_of(db, bundle, &ids).await.unwrap();
    assert_eq!(listed.len(), people.len());
    for (summary, who) in listed.iter().zip(people) {
        let log = log_of(db, &who.id).await;
        assert_eq!(
            summary,
            &Summary::of_log(&log, bundle, &who.id),
            "{}",
            who.id
        );
    }
}

/// A lesson done on day `day` of November or December 2026 (weeks apart, for streaks).
fn lesson_on(day: u32) -> Value {
    let mut event = completed(Uuid::new_v4(), "demo-lezione");
    let (month, day) = if day < 30 {
        (11, day + 1)
    } else {
        (12, day - 29)
    };
    event["at"] = json!(format!("2026-{month:02}-{day:02}T10:00:00Z"));
    event
}

#[tokio::test]
async fn the_kept_fold_is_the_fold_of_the_whole_log_after_every_push() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let (db, bundle) = (server.store().await, bundle());
    let learner = server.learner().await;
    let quiz = json!({"id": Uuid::new_v4(), "kind": "quiz_submitted", "activity_id": "demo-quiz",
        "at": "2026-11-03T10:00:00Z", "data": {"answers": [[0], 400], "passed": true, "score": 100}});
    server.push(&learner.token, json!([quiz])).await;
    // 300 events in pushes of 20, more than the fold is saved every: it is read back, extended,
    // saved, and read back again.
    for batch in 0..15 {
        let events: Vec<Value> = (0..20).map(|n| lesson_on((batch * 20 + n) % 37)).collect();
        let (status, _) = server.push(&learner.token, Value::from(events)).await;
        assert!(status.is_success());
        assert_listed_are_whole(&db, &bundle, &[&learner]).await;
        let (kept, whole) = kept_and_whole(&db, &bundle, &learner).await;
        assert_eq!(kept, whole, "after push {batch}");
    }
    let saved: i64 = on!(&db, c =>
        sqlx::query_scalar("SELECT through_seq FROM folds WHERE user_id = $1")
            .bind(&learner.id)
            .fetch_one(c)
            .await)
    .unwrap();
    assert!(saved > 0, "the fold was saved");
    server.stop().await;
}

#[tokio::test]
async fn a_kept_fold_of_another_content_is_folded_again() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let (db, mut bundle) = (server.store().await, bundle());
    let learner = server.learner().await;
    let events: Vec<Value> = (0..10).map(lesson_on).collect();
    server.push(&learner.token, Value::from(events)).await;
    folds::current(&db, &bundle, &learner.id).await.unwrap();
    // The lesson no longer exists: nothing it did counts under the new content.
    bundle.content_version.push_str("-new");
    for path in &mut bundle.paths {
        for module in &mut path.modules {
            module.activities.retain(|a| a.id != "demo-lezione");
        }
    }
    let (kept, whole) = kept_and_whole(&db, &bundle, &learner).await;
    assert_eq!(kept, whole);
    assert_eq!(kept, Summary::new(Some(&learner.id)));
    server.stop().await;
}

fn confirmation(role: &str) -> Value {
    json!({"id": Uuid::new_v4(), "kind": "family_task_confirmed", "activity_id": "famiglia-esperimento",
           "at": "2026-11-25T18:00:00Z", "data": {"role": role}})
}

#[tokio::test]
async fn links_confirmed_and_ended_during_pushes_leave_no_stale_fold() {
    let (_workspace, server, _maria, cohort) = family_cohort_run_by_maria().await;
    let (db, bundle) = (server.store().await, bundle());
    for round in 0..4 {
        let child = server
            .join(&cohort.join_code, &format!("Figlia{round}"))
            .await;
        let parent = server
            .parent(&cohort.join_code, &format!("Madre{round}"))
            .await;
        server
            .push(&parent.token, json!([confirmation("parent")]))
            .await;
        server
            .push(&child.token, json!([confirmation("child")]))
            .await;
        server.confirmed_link(&parent, &child).await;
        let (kept, _) = kept_and_whole(&db, &bundle, &child).await;
        assert!(
            Progress::of(&kept.fold).is_done("famiglia-esperimento"),
            "both sides confirmed once the link holds"
        );
        // The link ends while both push and their folds are read and saved.
        let link = format!("/api/family/links/{}", parent.id);
        let unlink = server.call(Method::DELETE, &link, &child, None);
        let pushes = async {
            for n in 0..8 {
                let events: Vec<Value> = (0..70).map(|d| lesson_on((d + n) % 37)).collect();
                server.push(&child.token, Value::from(events)).await;
                folds::current(&db, &bundle, &child.id).await.unwrap();
                folds::current(&db, &bundle, &parent.id).await.unwrap();
            }
        };
        let ((status, body), ()) = tokio::join!(unlink, pushes);
        assert!(status.is_success(), "{status} {body}");
        for who in [&child, &parent] {
            let (kept, whole) = kept_and_whole(&db, &bundle, who).await;
            assert_eq!(kept, whole, "round {round}");
        }
        assert_listed_are_whole(&db, &bundle, &[&child, &parent]).await;
        let (kept, _) = kept_and_whole(&db, &bundle, &child).await;
        assert!(
            !Progress::of(&kept.fold).is_done("famiglia-esperimento"),
            "the mother's confirmation left with the link"
        );
    }
    server.stop().await;
}

/// The summary stored for `user`, as it is in the table (not brought up to date).
async fn stored(db: &Db, user: &Account) -> Summary {
    let bytes: Vec<u8> = on!(db, c =>
        sqlx::query_scalar("SELECT fold FROM folds WHERE user_id = $1")
            .bind(&user.id)
            .fetch_one(c)
            .await)
    .unwrap();
    Summary::from_bytes(&bytes).unwrap()
}

#[tokio::test]
async fn a_parents_confirmation_is_folded_into_the_childs_kept_fold_in_the_same_push() {
    let (_workspace, server, _maria, cohort) = family_cohort_run_by_maria().await;
    let db = server.store().await;
    let child = server.join(&cohort.join_code, "Figlia").await;
    let parent = server.parent(&cohort.join_code, "Madre").await;
    server.confirmed_link(&parent, &child).await;
    server
        .push(&child.token, json!([confirmation("child")]))
        .await;
    let before = stored(&db, &child).await;
    assert!(!Progress::of(&before.fold).is_done("famiglia-esperimento"));
    server
        .push(&parent.token, json!([confirmation("parent")]))
        .await;
    // Nothing read the child's progress since: the parent's push kept the child's fold.
    let after = stored(&db, &child).await;
    assert!(
        Progress::of(&after.fold).is_done("famiglia-esperimento"),
        "the child's kept fold has the parent's confirmation"
    );
    server.stop().await;
}

/// Two learners with kept folds; the server stopped, `stale` (with one parameter, `old`) run on
/// its database (it must touch both folds), the server started again: both folds are kept again
/// without anyone asking, as `kept` (a count of them, with one parameter, `bind`) sees, and they
/// fold their whole logs.
async fn kept_again_at_start_up(stale: &str, old: impl Bind, kept: &str, bind: impl Bind) {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let learners = [server.learner().await, server.learner().await];
    for learner in &learners {
        let events: Vec<Value> = (0..5).map(lesson_on).collect();
        server.push(&learner.token, Value::from(events)).await;
    }
    let target = server.target().clone();
    server.stop().await;
    let db = officina_server::db::open_existing_db(&target)
        .await
        .unwrap();
    let made_stale = on!(&db, c => sqlx::query(stale)
        .bind(old.clone())
        .execute(c)
        .await
        .map(|r| r.rows_affected()))
    .unwrap();
    assert_eq!(made_stale, 2);
    let count = || async {
        on!(&db, c => sqlx::query_scalar::<_, i64>(kept)
            .bind(bind.clone())
            .fetch_one(c)
            .await)
    };
    assert_eq!(count().await.unwrap(), 0);
    let server = TestServer::start(&workspace.args()).await;
    let mut now_kept = 0;
    for _ in 0..100 {
        now_kept = count().await.unwrap();
        if now_kept == 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(now_kept, 2, "both folds kept again without anyone asking");
    for learner in &learners {
        assert_eq!(
            stored(&db, learner).await.fold,
            kept_and_whole(&db, &bundle(), learner).await.1.fold
        );
    }
    server.stop().await;
}

#[tokio::test]
async fn folds_of_another_content_are_folded_again_in_the_background_at_start_up() {
    kept_again_at_start_up(
        // As if the programme had changed since they were kept.
        "UPDATE folds SET content_version = $1",
        "old".to_owned(),
        "SELECT count(*) FROM folds WHERE content_version = $1",
        bundle().content_version,
    )
    .await;
}

#[tokio::test]
async fn folds_stored_in_an_older_format_are_folded_again_in_the_background_at_start_up() {
    kept_again_at_start_up(
        // As if they had been stored by the server before the format changed.
        "UPDATE folds SET fold = $1",
        vec![1_u8],
        "SELECT count(*) FROM folds WHERE substr(fold, 1, 1) = $1",
        vec![summary::FORMAT],
    )
    .await;
}

#[tokio::test]
async fn an_unreadable_kept_fold_is_saved_again_by_the_first_read() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let learner = server.learner().await;
    let events: Vec<Value> = (0..5).map(lesson_on).collect();
    server.push(&learner.token, Value::from(events)).await;
    let db = server.store().await;
    // The current format's byte, then bytes that do not decode.
    on!(&db, c => sqlx::query("UPDATE folds SET fold = $1 WHERE user_id = $2")
        .bind(vec![summary::FORMAT, 0xff])
        .bind(&learner.id)
        .execute(c)
        .await
        .map(drop))
    .unwrap();
    let (kept, whole) = kept_and_whole(&db, &bundle(), &learner).await;
    assert_eq!(kept, whole);
    assert_eq!(
        stored(&db, &learner).await,
        whole,
        "saved, not folded again at every read"
    );
    server.stop().await;
}

#[tokio::test]
async fn a_relatives_confirmation_stored_behind_the_kept_fold_is_still_read() {
    let (_workspace, server, _maria, cohort) = family_cohort_run_by_maria().await;
    let (db, bundle) = (server.store().await, bundle());
    let child = server.join(&cohort.join_code, "Figlia").await;
    let parent = server.parent(&cohort.join_code, "Madre").await;
    server.confirmed_link(&parent, &child).await;
    server
        .push(&parent.token, json!([confirmation("parent")]))
        .await;
    assert!(!Progress::of(&stored(&db, &parent).await.fold).is_done("famiglia-esperimento"));
    // Stored without the writer keeping the parent's fold (as if that step had failed).
    on!(&db, c => sqlx::query(
        "INSERT INTO events (id, device_id, user_id, kind, activity_id, at, data)
         VALUES ($1, $2, $3, 'family_task_confirmed', 'famiglia-esperimento', '2026-11-25T18:00:00Z',
                 '{\"role\":\"child\"}')",
    )
    .bind(Uuid::new_v4().to_string())
    .bind(Uuid::new_v4().to_string())
    .bind(&child.id)
    .execute(c)
    .await
    .map(drop))
    .unwrap();
    assert_listed_are_whole(&db, &bundle, &[&parent, &child]).await;
    let listed = folds::current_of(&db, &bundle, &[&parent.id])
        .await
        .unwrap();
    assert!(Progress::of(&listed[0].fold).is_done("famiglia-esperimento"));
    server.stop().await;
}

#[tokio::test]
async fn a_pending_link_that_ends_leaves_the_kept_folds_alone_and_a_confirmed_one_does_not() {
    let (_workspace, server, _maria, cohort) = family_cohort_run_by_maria().await;
    let db = server.store().await;
    let child = server.join(&cohort.join_code, "Figlia").await;
    let parent = server.parent(&cohort.join_code, "Madre").await;
    let events: Vec<Value> = (0..3).map(lesson_on).collect();
    server.push(&child.token, Value::from(events)).await;
    let kept = stored(&db, &child).await;
    let link = |confirmed: Option<&str>| {
        let confirmed = confirmed.map(str::to_owned);
        let (db, parent, child) = (&db, &parent, &child);
        async move {
            on!(db, c => sqlx::query(
                "INSERT INTO family_links (id, parent_id, child_id, confirmed_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(Uuid::new_v4().to_string())
            .bind(&parent.id)
            .bind(&child.id)
            .bind(confirmed)
            .execute(c)
            .await
            .map(drop))
        }
    };
    let unlink = || async {
        on!(&db, c => sqlx::query("DELETE FROM family_links").execute(c).await.map(drop))
    };
    link(None).await.unwrap();
    unlink().await.unwrap();
    assert_eq!(
        stored(&db, &child).await,
        kept,
        "a pending link joined no logs"
    );
    link(Some("2026-12-01T10:00:00Z")).await.unwrap();
    unlink().await.unwrap();
    let fold: Option<Vec<u8>> = on!(&db, c =>
        sqlx::query_scalar("SELECT fold FROM folds WHERE user_id = $1")
            .bind(&child.id)
            .fetch_one(c)
            .await)
    .unwrap();
    assert_eq!(
        fold, None,
        "a confirmed link that ends changes what the log means"
    );
    server.stop().await;
}
