//! `officina-server migrate-to`: a database made through the running server's API moves into
//! PostgreSQL row for row and seq for seq; a target that holds rows, a row PostgreSQL rejects, a
//! trigger on INSERT, a source of another schema and a bad URL are refused, and leave the target
//! empty or as it was.
//!
//! These tests need a PostgreSQL server: `scripts/pg-cluster.sh start DIR` starts a throw-away one
//! and prints its base URL, which `OFFICINA_TEST_PG` must hold; each test makes a database of its
//! own there. `OFFICINA_TEST_NO_PG=1` skips them instead.

mod common;

use common::photos::uploaded;
use common::{Account, SECRET, TestServer, Workspace, completed, passed_quiz};
use officina_core::account::Role;
use officina_server::migrate_to::{self, Refusal};
use officina_server::on;
use officina_server::store::backend::{Backend, Db};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sqlx::postgres::PgPool;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions};
use sqlx::{Connection, PgConnection};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use uuid::Uuid;

/// The base URL of the PostgreSQL server the tests make their databases in; `None` when told to
/// skip them. Unset, the test fails: a suite that silently skips proves nothing.
fn postgres_base() -> Option<String> {
    if let Ok(url) = std::env::var("OFFICINA_TEST_PG") {
        return Some(url);
    }
    if std::env::var("OFFICINA_TEST_NO_PG").is_ok_and(|v| v == "1") {
        println!("skipped: OFFICINA_TEST_NO_PG=1, no PostgreSQL server for the migrate-to tests");
        return None;
    }
    panic!(
        "OFFICINA_TEST_PG is not set: start a throw-away PostgreSQL with \
         `scripts/pg-cluster.sh start DIR` and set OFFICINA_TEST_PG to the URL it prints \
         (postgres://postgres@127.0.0.1:PORT/postgres), or set OFFICINA_TEST_NO_PG=1 to skip"
    );
}

/// A new, empty database with the C collation on the server at `base`; its URL.
async fn fresh_database(base: &str) -> String {
    database(base, "LC_COLLATE 'C' LC_CTYPE 'C'").await
}

async fn database(base: &str, locale: &str) -> String {
    let name = format!("t_{}", Uuid::new_v4().simple());
    let mut admin = PgConnection::connect(base)
        .await
        .unwrap_or_else(|err| panic!("OFFICINA_TEST_PG={base}: {err}"));
    let create = format!("CREATE DATABASE {name} TEMPLATE template0 {locale}");
    sqlx::query(&create).execute(&mut admin).await.unwrap();
    admin.close().await.unwrap();
    let (server, _) = base.rsplit_once('/').expect("a URL ending in /DATABASE");
    format!("{server}/{name}")
}

async fn postgres(url: &str) -> PgPool {
    PgPool::connect(url).await.unwrap()
}

async fn sqlite(path: &Path) -> SqlitePool {
    let options = SqliteConnectOptions::new().filename(path).read_only(true);
    SqlitePoolOptions::new()
        .connect_with(options)
        .await
        .unwrap()
}

async fn migrate(from: &Path, url: &str) -> anyhow::Result<Vec<String>> {
    let mut said = Vec::new();
    migrate_to::run(from, url, &mut |line| said.push(line)).await?;
    Ok(said)
}

/// The refusal an error of `migrate_to::run` is.
fn refusal(err: &anyhow::Error) -> &Refusal {
    err.downcast_ref::<Refusal>()
        .unwrap_or_else(|| panic!("a refusal: {err:#}"))
}

/// Rows per table, `_sqlx_migrations` aside (each database has its own).
/// Rows per table (but sqlx's), from the database's own catalogue.
async fn counts(db: &Db) -> BTreeMap<String, i64> {
    let tables = match db {
        Backend::Sqlite(_) => {
            "SELECT name FROM sqlite_schema
             WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations'"
        }
        Backend::Postgres(_) => {
            "SELECT table_name::text FROM information_schema.tables
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
               AND table_name <> '_sqlx_migrations'"
        }
    };
    let tables: Vec<String> = on!(db, c => sqlx::query_scalar(tables).fetch_all(c).await).unwrap();
    let mut counts = BTreeMap::new();
    for table in tables {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        let count = on!(db, c => sqlx::query_scalar(&sql).fetch_one(c).await).unwrap();
        counts.insert(table, count);
    }
    counts
}

async fn sqlite_counts(db: &SqlitePool) -> BTreeMap<String, i64> {
    counts(&Backend::Sqlite(db.clone())).await
}

async fn postgres_counts(db: &PgPool) -> BTreeMap<String, i64> {
    counts(&Backend::Postgres(db.clone())).await
}

type Event = (
    i64,
    String,
    String,
    Option<String>,
    String,
    Option<String>,
    String,
    String,
    String,
);
const EVENTS: &str = "SELECT seq, id, device_id, user_id, kind, activity_id, at, data, received_at
                      FROM events ORDER BY seq";

#[derive(Debug, PartialEq, sqlx::FromRow)]
struct User {
    id: String,
    role: String,
    cohort_id: Option<String>,
    nickname: String,
    secret_hash: String,
    created_at: String,
    age_band: Option<String>,
    disabled_at: Option<String>,
    last_synced_at: Option<String>,
    nickname_skeleton: Option<String>,
    removed_at: Option<String>,
    paper_consent_at: Option<String>,
    paper_consent_by: Option<String>,
}
const USERS: &str = "SELECT id, role, cohort_id, nickname, secret_hash, created_at, age_band,
                            disabled_at, last_synced_at, nickname_skeleton, removed_at,
                            paper_consent_at, paper_consent_by
                     FROM users ORDER BY id";

type Fold = (String, i64, Option<String>, i64, Option<Vec<u8>>);
const FOLDS: &str = "SELECT user_id, generation, content_version, through_seq, fold
                     FROM folds ORDER BY user_id";

type Reach = (String, i64, i64, i64, i64, i64, i64, f64, f64);
const REACH: &str = "SELECT cohort_id, young_people, parents, completed, badges, family_tasks,
                            assessed_people, assessed_before, assessed_after
                     FROM erased_reach ORDER BY cohort_id";

type Cohort = (
    String,
    String,
    String,
    String,
    String,
    bool,
    Option<String>,
    Option<String>,
    String,
    Option<i64>,
    bool,
);
const COHORTS: &str = "SELECT id, name, path_id, join_code, created_at, xp_and_streaks, starts_on,
                              ends_on, audience, startups, join_open
                       FROM cohorts ORDER BY id";
/// Text holding everything `COPY`'s text format reads as structure, raw.
const AWKWARD: &str = "2ª B\tscuola\nGalateo\r \\N \\. \\ fine";
const NICKNAME_SHOWN: &str = "SELECT user_id, show_nickname FROM badge_recipients ORDER BY user_id";
const SESSIONS: &str = "SELECT token_hash, user_id FROM sessions ORDER BY token_hash";
const FAMILY_CODES: &str =
    "SELECT code_hash, user_id, expires_at FROM family_codes ORDER BY code_hash";
const RECOVERY_CODES: &str = "SELECT user_id, code_hash FROM recovery_codes ORDER BY user_id";

/// Runs the same query on both databases and expects the same rows.
macro_rules! same_rows {
    ($sqlite:expr, $postgres:expr, $query:expr, $row:ty) => {{
        let before: Vec<$row> = sqlx::query_as($query).fetch_all($sqlite).await.unwrap();
        let after: Vec<$row> = sqlx::query_as($query).fetch_all($postgres).await.unwrap();
        assert_eq!(after, before, "{}", $query);
        before
    }};
}

/// The fixture's first module, done (earns `demo-badge`), with a challenge text full of what
/// `COPY` treats as structure once the server has written it as JSON.
fn module(text: &str) -> Value {
    json!([
        completed(Uuid::new_v4(), "demo-lezione"),
        {"id": Uuid::new_v4(), "kind": "challenge_submitted", "activity_id": "demo-sfida",
         "at": "2026-11-25T10:00:00.000Z", "data": {"text": text}},
        passed_quiz(Uuid::new_v4()),
    ])
}

fn family_task(role: &str) -> Value {
    json!({"id": Uuid::new_v4(), "kind": "family_task_confirmed",
           "activity_id": "famiglia-esperimento", "at": "2026-11-25T18:00:00Z",
           "data": {"role": role}})
}

async fn push(server: &TestServer, who: &Account, events: Value) {
    let (status, body) = server.push(&who.token, events).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

async fn expect(server: &TestServer, method: Method, path: &str, who: &Account, body: Value) {
    let (status, answer) = server.call(method, path, who, Some(body)).await;
    assert!(status.is_success(), "{path}: {status} {answer}");
}

/// A programme with something in every table, made through the API: three cohorts, learners
/// (one under 14 with consent on paper from an admin whose account came after hers), a parent
/// with a confirmed link and family tasks, badges, a photo, codes, closed join codes and settings
/// switched off; the last learner to push is erased, so the log's newest seqs are gone. The
/// server is stopped; its database's path.
async fn varied_programme(workspace: &Workspace) -> PathBuf {
    let server = TestServer::start(&workspace.args()).await;
    let maria = server.staff(Role::Educator, "Maria").await;
    let lab = server.cohort("Lab", "demo", &["Maria"]).await;
    let famiglie = server.cohort("Famiglie", "famiglia", &["Maria"]).await;
    let altro = server.cohort("Altro", "demo", &[]).await;
    let astro = server.join(&lab.join_code, "Astro").await;
    let luna = server.join_aged(&lab.join_code, "Luna", "under_14").await;
    let sole = server.join(&altro.join_code, "Sole").await;
    let bimba = server
        .join_aged(&famiglie.join_code, "Bimba", "under_14")
        .await;
    let papa = server.parent(&famiglie.join_code, "Papà").await;
    let vega = server.join(&lab.join_code, "Vega").await;

    let texts = [
        "Fatto: \"il razzo\" è partito!\n\tC:\\razzo\\ 🚀",
        "tab\there, a backslash \\N and \\. alone",
        "niente di strano",
    ];
    for (learner, text) in [&astro, &luna, &sole].into_iter().zip(texts) {
        push(&server, learner, module(text)).await;
    }
    push(
        &server,
        &astro,
        json!([completed(Uuid::new_v4(), "demo-lezione")]),
    )
    .await;
    uploaded(&server, &astro).await;
    let show = json!({"show_nickname": true});
    expect(&server, Method::PUT, "/api/badges/profile", &astro, show).await;
    server.get_json("/api/badges", &sole).await;

    server.confirmed_link(&papa, &bimba).await;
    push(&server, &bimba, json!([family_task("child")])).await;
    push(&server, &papa, json!([family_task("parent")])).await;
    server.family_code(&astro).await;

    let admin = server.admin().await;
    let consent = format!("/api/cohorts/{}/members/{}/consent", lab.id, luna.id);
    expect(
        &server,
        Method::PUT,
        &consent,
        admin,
        json!({"paper": true}),
    )
    .await;
    let settings = format!("/api/cohorts/{}/settings", altro.id);
    let off = json!({"xp_and_streaks": false});
    expect(&server, Method::PUT, &settings, admin, off).await;
    let code = format!("/api/cohorts/{}/code", famiglie.id);
    let (status, _) = server.call(Method::DELETE, &code, &maria, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let recovery = format!("/api/cohorts/{}/members/{}/recovery", altro.id, sole.id);
    let (status, body) = server.call(Method::POST, &recovery, admin, None).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    push(&server, &vega, module("l'ultima")).await;
    let erase = json!({"secret": SECRET});
    let (status, body) = server
        .call(Method::DELETE, "/api/me", &vega, Some(erase))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let db = server.db().to_path_buf();
    server.stop().await;
    // Text the API would not take, but a database may hold.
    let pool = SqlitePool::connect(&format!("sqlite://{}", db.display()))
        .await
        .unwrap();
    sqlx::query("UPDATE cohorts SET audience = $1 WHERE id = $2")
        .bind(AWKWARD)
        .bind(&altro.id)
        .execute(&pool)
        .await
        .unwrap();
    // A guess a copy on PostgreSQL would have counted (one server on SQLite counts in memory).
    sqlx::query(
        "INSERT INTO login_failures (id, target, address, at_ms, for_address)
         VALUES ('f1', $1, '10.0.0.7', 1765000000000, 0)",
    )
    .bind(&[0_u8; 17][..])
    .execute(&pool)
    .await
    .unwrap();
    pool.close().await;
    db
}

/// A learner with a few events and a photo; the server is stopped. Its database's path and the
/// photo's id.
async fn small_programme(workspace: &Workspace) -> (PathBuf, Uuid) {
    let server = TestServer::start(&workspace.args()).await;
    let learner = server.learner().await;
    push(&server, &learner, module("poco")).await;
    let photo = uploaded(&server, &learner).await;
    let db = server.db().to_path_buf();
    server.stop().await;
    (db, photo)
}

#[tokio::test]
async fn a_programme_moves_row_for_row_and_seq_for_seq() {
    let Some(base) = postgres_base() else { return };
    // SQLite whatever OFFICINA_TEST_DB says: migrate-to copies from an SQLite file.
    let workspace = Workspace::sqlite();
    let from = varied_programme(&workspace).await;
    let url = fresh_database(&base).await;

    let said = migrate(&from, &url).await.expect("migrated");

    let (source, target) = (sqlite(&from).await, postgres(&url).await);
    let counts = sqlite_counts(&source).await;
    let empty: Vec<&String> = counts
        .iter()
        .filter(|(_, n)| **n == 0)
        .map(|(t, _)| t)
        .collect();
    assert!(
        empty.is_empty(),
        "a table the programme left empty: {empty:?}"
    );
    assert_eq!(postgres_counts(&target).await, counts);
    for (table, rows) in &counts {
        let line = format!("  {table:<24} {rows:>12}");
        assert!(said.contains(&line), "{line:?} in {said:#?}");
    }

    let events = same_rows!(&source, &target, EVENTS, Event);
    let texts = events
        .iter()
        .filter(|e| e.7.contains("\\\\N and \\\\."))
        .count();
    assert_eq!(texts, 1, "the challenge text with backslashes and tabs");
    let users = same_rows!(&source, &target, USERS, User);
    // The paper consent names an account made after the learner's: a row that refers to a later
    // one of its own table.
    let later: bool = sqlx::query_scalar(
        "SELECT (SELECT rowid FROM users WHERE id = u.paper_consent_by) > u.rowid
         FROM users AS u WHERE paper_consent_by IS NOT NULL",
    )
    .fetch_one(&source)
    .await
    .unwrap();
    assert!(later && users.iter().any(|u| u.paper_consent_by.is_some()));
    let cohorts = same_rows!(&source, &target, COHORTS, Cohort);
    assert!(cohorts.iter().any(|c| !c.5) && cohorts.iter().any(|c| !c.10));
    assert!(cohorts.iter().any(|c| c.8 == AWKWARD));
    let shown = same_rows!(&source, &target, NICKNAME_SHOWN, (String, bool));
    assert!(shown.iter().any(|s| s.1) && shown.iter().any(|s| !s.1));
    same_rows!(&source, &target, SESSIONS, (Vec<u8>, String));
    same_rows!(&source, &target, FAMILY_CODES, (Vec<u8>, String, String));
    same_rows!(&source, &target, RECOVERY_CODES, (String, Vec<u8>));
    let folds = same_rows!(&source, &target, FOLDS, Fold);
    assert!(folds.iter().any(|f| f.4.is_some()), "a fold's bytes");
    same_rows!(&source, &target, REACH, Reach);

    // The erased learner's events were the newest: their seqs are never given again.
    let high: i64 = sqlx::query_scalar("SELECT seq FROM sqlite_sequence WHERE name = 'events'")
        .fetch_one(&source)
        .await
        .unwrap();
    assert!(
        high > events.last().unwrap().0,
        "the erasure took the newest seqs"
    );
    assert!(said.contains(&format!("events.seq riprende da {}", high + 1)));
    let next: i64 = sqlx::query_scalar(
        "INSERT INTO events (id, device_id, kind, at, data)
         VALUES ($1, 'device', 'activity_completed', '2026-12-01T10:00:00.000Z', '{}')
         RETURNING seq",
    )
    .bind(Uuid::new_v4().to_string())
    .fetch_one(&target)
    .await
    .unwrap();
    assert_eq!(next, high + 1);
}

#[tokio::test]
async fn a_target_that_holds_rows_is_refused_and_left_as_it_was() {
    let Some(base) = postgres_base() else { return };
    // SQLite whatever OFFICINA_TEST_DB says: migrate-to copies from an SQLite file.
    let workspace = Workspace::sqlite();
    let (from, _) = small_programme(&workspace).await;
    let url = fresh_database(&base).await;
    migrate(&from, &url).await.expect("the first copy");
    let target = postgres(&url).await;
    let counts = postgres_counts(&target).await;
    let events: Vec<Event> = sqlx::query_as(EVENTS).fetch_all(&target).await.unwrap();

    let other = Workspace::sqlite();
    let (second, _) = small_programme(&other).await;
    let err = migrate(&second, &url).await.unwrap_err();
    let Refusal::NotEmpty(tables) = refusal(&err) else {
        panic!("{err:#}")
    };
    assert!(
        tables.contains("events") && tables.contains("users"),
        "{tables}"
    );
    assert_eq!(postgres_counts(&target).await, counts);
    let after: Vec<Event> = sqlx::query_as(EVENTS).fetch_all(&target).await.unwrap();
    assert_eq!(after, events);
}

#[tokio::test]
async fn a_row_postgresql_rejects_rolls_the_whole_copy_back() {
    let Some(base) = postgres_base() else { return };
    // SQLite whatever OFFICINA_TEST_DB says: migrate-to copies from an SQLite file.
    let workspace = Workspace::sqlite();
    let (from, photo) = small_programme(&workspace).await;
    let url = fresh_database(&base).await;
    let target = officina_server::db::open_postgres(&url).await.unwrap();
    // photos come last (their foreign keys name users and photo_uploads): everything else has
    // been copied by the time this row is refused.
    let reject =
        format!("ALTER TABLE photos ADD CONSTRAINT not_this_photo CHECK (id <> '{photo}')");
    sqlx::query(&reject).execute(&target).await.unwrap();

    let err = migrate(&from, &url).await.unwrap_err();
    let message = format!("{err:#}");
    assert!(
        message.starts_with(
            "migrazione annullata: nessuna riga scritta in PostgreSQL: tabella photos"
        ) && message.contains("not_this_photo"),
        "{message}"
    );
    let counts = postgres_counts(&target).await;
    assert!(counts.values().all(|n| *n == 0), "{counts:?}");

    sqlx::query("ALTER TABLE photos DROP CONSTRAINT not_this_photo")
        .execute(&target)
        .await
        .unwrap();
    migrate(&from, &url)
        .await
        .expect("the target is as good as new");
    assert_eq!(
        postgres_counts(&target).await,
        sqlite_counts(&sqlite(&from).await).await
    );
}

#[tokio::test]
async fn a_trigger_on_insert_is_refused_before_anything_is_copied() {
    let Some(base) = postgres_base() else { return };
    // SQLite whatever OFFICINA_TEST_DB says: migrate-to copies from an SQLite file.
    let workspace = Workspace::sqlite();
    let (from, _) = small_programme(&workspace).await;
    let url = fresh_database(&base).await;
    let target = officina_server::db::open_postgres(&url).await.unwrap();
    // A trigger that would drop rows silently: COPY would report fewer, and no check of counts
    // could tell which ones a subtler trigger had changed.
    sqlx::raw_sql(
        "CREATE FUNCTION drop_row() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
         CREATE TRIGGER drop_events BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION drop_row();",
    )
    .execute(&target)
    .await
    .unwrap();

    let err = migrate(&from, &url).await.unwrap_err();
    let Refusal::InsertTrigger { trigger, table } = refusal(&err) else {
        panic!("{err:#}")
    };
    assert_eq!(
        (trigger.as_str(), table.as_str()),
        ("drop_events", "events")
    );
    let counts = postgres_counts(&target).await;
    assert!(counts.values().all(|n| *n == 0), "{counts:?}");
}

/// The PostgreSQL schema's own triggers (folds_*) run after UPDATE or DELETE only, so the copy
/// never sets them off; the check above would refuse a schema that had one on INSERT.
#[tokio::test]
async fn the_schemas_triggers_run_on_update_or_delete_only() {
    let Some(base) = postgres_base() else { return };
    let url = fresh_database(&base).await;
    let target = officina_server::db::open_postgres(&url).await.unwrap();
    let triggers: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT trigger_name::text, event_manipulation::text, event_object_table::text,
                action_timing::text
         FROM information_schema.triggers WHERE trigger_schema = current_schema()
         ORDER BY trigger_name, event_manipulation",
    )
    .fetch_all(&target)
    .await
    .unwrap();
    let expected = [
        ("folds_event_deleted", "DELETE", "events", "AFTER"),
        (
            "folds_family_link_confirmed",
            "UPDATE",
            "family_links",
            "AFTER",
        ),
        ("folds_family_link_ended", "DELETE", "family_links", "AFTER"),
    ];
    let found: Vec<(&str, &str, &str, &str)> = triggers
        .iter()
        .map(|(a, b, c, d)| (a.as_str(), b.as_str(), c.as_str(), d.as_str()))
        .collect();
    assert_eq!(found, expected);
}

/// A source whose migrations are not exactly this binary's is refused before PostgreSQL is
/// touched, with what to do.
#[tokio::test]
async fn a_source_of_another_schema_is_refused_with_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let from = dir.path().join("officina.db");
    let db = officina_server::db::open(&from).await.unwrap();
    let unreachable = "postgres://postgres@127.0.0.1:1/nessuno";

    sqlx::query("UPDATE _sqlx_migrations SET version = 9999 WHERE version = 24")
        .execute(&db)
        .await
        .unwrap();
    let err = migrate(&from, unreachable).await.unwrap_err();
    assert!(
        matches!(refusal(&err), Refusal::Ahead { unknown, .. } if unknown == "9999"),
        "{err:#}"
    );

    sqlx::query("DELETE FROM _sqlx_migrations WHERE version = 9999")
        .execute(&db)
        .await
        .unwrap();
    let err = migrate(&from, unreachable).await.unwrap_err();
    assert!(
        matches!(refusal(&err), Refusal::Behind { missing, .. } if missing == "24"),
        "{err:#}"
    );
    assert!(
        format!("{err}").contains("officina-server serve --db"),
        "{err}"
    );

    sqlx::query("DROP TABLE _sqlx_migrations")
        .execute(&db)
        .await
        .unwrap();
    let err = migrate(&from, unreachable).await.unwrap_err();
    assert!(matches!(refusal(&err), Refusal::NotOfficina(_)), "{err:#}");
    db.close().await;
}

/// `officina-server migrate-to …`'s exit code and standard error.
fn run_binary(from: &Path, url: &str) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_officina-server"))
        .args(["migrate-to", "--from"])
        .arg(from)
        .args(["--db", url])
        .env_remove("OFFICINA_DB")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output.status.code().unwrap_or(-1), stderr)
}

#[tokio::test]
async fn a_bad_url_or_an_unreachable_server_is_told_precisely() {
    let Some(base) = postgres_base() else { return };
    // SQLite whatever OFFICINA_TEST_DB says: migrate-to copies from an SQLite file.
    let workspace = Workspace::sqlite();
    let (from, _) = small_programme(&workspace).await;
    let missing = format!("{}/t_nessuno", base.rsplit_once('/').unwrap().0);
    let not_c = database(&base, "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'").await;
    let cases = [
        (
            from.as_path(),
            "data/officina.db",
            "not a PostgreSQL URL".to_owned(),
        ),
        (
            from.as_path(),
            "postgres://postgres:segreta@127.0.0.1:1/officina",
            "cannot open the PostgreSQL database postgres://postgres@127.0.0.1:1/officina: \
             error communicating with database: Connection refused"
                .to_owned(),
        ),
        (
            from.as_path(),
            &missing,
            "database \"t_nessuno\" does not exist".to_owned(),
        ),
        (
            from.as_path(),
            &not_c,
            "collation «C.UTF-8» and ctype «C.UTF-8», not C".to_owned(),
        ),
        (
            Path::new("nessuna/officina.db"),
            &base,
            "database SQLite non trovato: nessuna/officina.db".to_owned(),
        ),
    ];
    for (from, url, expected) in cases {
        let (code, stderr) = run_binary(from, url);
        assert_eq!(code, 1, "{url}: {stderr}");
        assert!(
            stderr.starts_with("errore: ") && stderr.contains(&expected),
            "{url}: {stderr}"
        );
        assert!(
            !stderr.contains("segreta"),
            "the password is not shown: {stderr}"
        );
    }
}
