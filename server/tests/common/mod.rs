//! A real server on a free loopback port, with a temporary database and a fixture app.
// Each test file uses a different part of these helpers.
#![allow(dead_code)]

pub mod photos;

use officina_core::account::{Role, Session};
use officina_server::admin;
use officina_server::cli::{DbArgs, PhotosArgs, ServeArgs};
use officina_server::db::Target;
use officina_server::gate::Bounds;
use officina_server::server::Server;
use officina_server::store::cohorts::NewCohort;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use tempfile::TempDir;
use tokio::sync::{OnceCell, oneshot};
use tokio::task::JoinHandle;
use uuid::Uuid;

pub const SECRET: &str = "482916";
pub const STAFF_PASSWORD: &str = "una password lunga";

/// An account's id and bearer token.
#[derive(Debug, Clone)]
pub struct Account {
    pub id: String,
    pub token: String,
}

impl Account {
    fn from_session(session: Session) -> Self {
        Self {
            id: session.user.id,
            token: session.token,
        }
    }

    /// The account of a join or login answer's body.
    pub fn from_answer(body: &Value) -> Self {
        Self::from_session(serde_json::from_value(body.clone()).expect("a session"))
    }
}

/// The error code of an API error answer.
pub fn error_code(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or_default()
}

async fn answer(response: reqwest::Response) -> (reqwest::StatusCode, Value) {
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// An `activity_completed` event of the fixture content, with no owner (the caller's).
pub fn completed(id: Uuid, activity: &str) -> Value {
    json!({"id": id, "kind": "activity_completed", "activity_id": activity, "at": "2026-11-25T10:00:00.000Z"})
}

/// A passing attempt at the fixture's quiz `demo-quiz` (both answers right), with no owner.
pub fn passed_quiz(id: Uuid) -> Value {
    json!({"id": id, "kind": "quiz_submitted", "activity_id": "demo-quiz",
           "at": "2026-11-25T10:00:00.000Z", "data": {"answers": [[0], 400], "score": 100, "passed": true}})
}

/// A submission of the fixture's challenge `demo-sfida`, with no owner (the caller's).
pub fn submitted(id: Uuid) -> Value {
    json!({"id": id, "kind": "challenge_submitted", "activity_id": "demo-sfida",
           "at": "2026-11-25T10:00:00.000Z", "data": {"text": "Fatto: il razzo è partito."}})
}

/// The `status` of each result of a push.
pub fn statuses(response: &Value) -> Vec<&str> {
    response["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect()
}

pub const INLINE_SCRIPT: &str = "import init from '/app-0123456789abcdef.js'; init();";

pub fn fixture_content() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/content")
}

/// A temporary folder with a small built app, and a database of its own: an SQLite file in the
/// folder, or with `OFFICINA_TEST_DB=postgres` a fresh database on the cluster `OFFICINA_TEST_PG`
/// names (see `scripts/test.sh`).
pub struct Workspace {
    pub dir: TempDir,
    pub target: Target,
}

/// `--db`'s value for `target`: the SQLite file or the URL.
pub fn db_arg(target: &Target) -> std::ffi::OsString {
    match target {
        Target::Sqlite(path) => path.clone().into_os_string(),
        Target::Postgres(url) => url.into(),
    }
}

/// The database of a new workspace in `dir`.
fn new_database(dir: &Path) -> Target {
    if std::env::var("OFFICINA_TEST_DB").as_deref() != Ok("postgres") {
        return Target::Sqlite(dir.join("data/officina.db"));
    }
    let base = std::env::var("OFFICINA_TEST_PG")
        .expect("OFFICINA_TEST_DB=postgres needs OFFICINA_TEST_PG, from scripts/pg-cluster.sh");
    let name = format!("w_{}", Uuid::new_v4().simple());
    // psql: a workspace is made in synchronous code too. C collation, as the store needs.
    let create = format!("CREATE DATABASE {name} TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C'");
    let status = std::process::Command::new("psql")
        .args(["-q", "-v", "ON_ERROR_STOP=1", &base, "-c", &create])
        .status()
        .expect("psql runs");
    assert!(status.success(), "cannot create {name} on {base}");
    let (server, _) = base.rsplit_once('/').expect("a URL with a database");
    Target::Postgres(format!("{server}/{name}"))
}

impl Workspace {
    pub fn new() -> Self {
        Self::with_database(new_database)
    }

    /// A workspace whose database is an SQLite file whatever `OFFICINA_TEST_DB` says, for the
    /// tests about the file itself.
    pub fn sqlite() -> Self {
        Self::with_database(|dir| Target::Sqlite(dir.join("data/officina.db")))
    }

    fn with_database(database: fn(&Path) -> Target) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let dist = dir.path().join("dist");
        std::fs::create_dir(&dist).unwrap();
        let index = format!(
            "<!doctype html><html lang=\"it\"><title>Officina</title><script type=\"module\">{INLINE_SCRIPT}</script></html>"
        );
        std::fs::write(dist.join("index.html"), index).unwrap();
        std::fs::write(
            dist.join("app-0123456789abcdef_bg.wasm"),
            b"\0asm".repeat(4096),
        )
        .unwrap();
        let target = database(dir.path());
        Self { dir, target }
    }

    pub fn args(&self) -> ServeArgs {
        ServeArgs {
            addr: "127.0.0.1:0".parse().unwrap(),
            db: DbArgs {
                db: self.target.clone(),
            },
            dist: self.dir.path().join("dist"),
            content: fixture_content(),
            public_url: Some("http://127.0.0.1:8080".parse().unwrap()),
            issuer_email: "badge@officina.invalid".into(),
            // Where an SQLite database would keep them, whichever database this is.
            photos: PhotosArgs {
                photos_dir: Some(self.dir.path().join("data/photos")),
            },
            trusted_proxies: Vec::new(),
        }
    }
}

/// A server whose educator "Maria" runs the family cohort "Famiglie" (the workspace holds the
/// server's files: keep it as long as the server).
pub async fn family_cohort_run_by_maria() -> (Workspace, TestServer, Account, NewCohort) {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let maria = server.staff(Role::Educator, "Maria").await;
    let cohort = server.cohort("Famiglie", "famiglia", &["Maria"]).await;
    (workspace, server, maria, cohort)
}

pub struct TestServer {
    pub base: String,
    pub client: reqwest::Client,
    db: Target,
    photos: Option<PathBuf>,
    stop: oneshot::Sender<()>,
    task: JoinHandle<std::io::Result<()>>,
    admin: OnceCell<Account>,
}

impl TestServer {
    pub async fn start(args: &ServeArgs) -> Self {
        Self::start_with(args, Bounds::default()).await
    }

    /// A server whose expensive work waits its turn for `bounds.wait` at most.
    pub async fn start_with(args: &ServeArgs, bounds: Bounds) -> Self {
        let server = Server::prepare_with(args, bounds)
            .await
            .expect("server starts");
        let base = format!("http://{}", server.local_addr().unwrap());
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(server.serve(async move {
            let _ = stopped.await;
        }));
        Self {
            base,
            client: reqwest::Client::new(),
            db: args.db.db.clone(),
            photos: args.photos.photos_dir.clone(),
            stop,
            task,
            admin: OnceCell::new(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// A new cohort on the fixture's `demo` path, written straight into the database; its join code.
    pub async fn new_cohort(&self) -> String {
        self.cohort("Gruppo di prova", "demo", &[]).await.join_code
    }

    /// A cohort on the fixture's path `path_id`, run by the staff named `educators`, made as the
    /// command line makes it.
    pub async fn cohort(&self, name: &str, path_id: &str, educators: &[&str]) -> NewCohort {
        let educators: Vec<String> = educators.iter().map(|e| (*e).to_owned()).collect();
        admin::create_cohort(&self.db, &fixture_content(), name, path_id, &educators)
            .await
            .expect("cohort created")
    }

    /// Joins the cohort with `code` through the API, with the secret [`SECRET`], aged 14 or more.
    pub async fn join(&self, code: &str, nickname: &str) -> Account {
        self.join_aged(code, nickname, "14_plus").await
    }

    /// Joins as a learner of the age band `age_band` (`under_14` or `14_plus`).
    pub async fn join_aged(&self, code: &str, nickname: &str, age_band: &str) -> Account {
        self.join_with(
            json!({"code": code, "nickname": nickname, "secret": SECRET, "age_band": age_band}),
        )
        .await
    }

    /// Joins the cohort with `code` as a parent (the cohort's path must admit parents).
    pub async fn parent(&self, code: &str, nickname: &str) -> Account {
        self.join_with(
            json!({"code": code, "nickname": nickname, "secret": SECRET, "role": "parent"}),
        )
        .await
    }

    /// `POST /api/join` with `body`, which must succeed.
    async fn join_with(&self, body: Value) -> Account {
        let (status, session) = self.post_anonymous("/api/join", &body).await;
        assert_eq!(status, reqwest::StatusCode::CREATED, "{session}");
        Account::from_answer(&session)
    }

    /// A learner alone in a new cohort.
    pub async fn learner(&self) -> Account {
        let code = self.new_cohort().await;
        self.join(&code, "Astro").await
    }

    /// An educator or admin made as the command line makes them, logged in through the API.
    pub async fn staff(&self, role: Role, name: &str) -> Account {
        admin::create_staff(&self.db, role, name, STAFF_PASSWORD)
            .await
            .expect("staff account");
        let body = json!({"name": name, "password": STAFF_PASSWORD});
        let response = self
            .client
            .post(self.url("/api/staff/login"))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), reqwest::StatusCode::OK);
        Account::from_session(response.json().await.unwrap())
    }

    /// A new one-time family code of `who`'s, which must be made (201).
    pub async fn family_code(&self, who: &Account) -> String {
        let (status, body) = self
            .call(reqwest::Method::POST, "/api/family/code", who, None)
            .await;
        assert_eq!(status, reqwest::StatusCode::CREATED, "{body}");
        body["code"].as_str().unwrap().to_owned()
    }

    /// `POST /api/family/link` as `who` with `code`.
    pub async fn family_link(&self, who: &Account, code: &str) -> (reqwest::StatusCode, Value) {
        let body = json!({ "code": code });
        self.call(reqwest::Method::POST, "/api/family/link", who, Some(body))
            .await
    }

    /// `parent` links with `child`'s new code and an admin confirms the link, as an educator of the
    /// child's cohort would in the workspace: a link that takes effect.
    pub async fn confirmed_link(&self, parent: &Account, child: &Account) {
        let code = self.family_code(child).await;
        let (status, body) = self.family_link(parent, &code).await;
        assert_eq!(status, reqwest::StatusCode::CREATED, "{body}");
        assert_eq!(self.confirm_links_of(child).await, 1);
    }

    /// An admin confirms every pending link of `child`'s through the API; how many there were.
    pub async fn confirm_links_of(&self, child: &Account) -> usize {
        let admin = self.admin().await;
        let me = self.get_json("/api/me", child).await;
        let cohort = me["cohort_id"].as_str().expect("a member's cohort");
        let links = self
            .get_json(&format!("/api/cohorts/{cohort}/family-links"), admin)
            .await;
        let pending =
            links["links"].as_array().unwrap().iter().filter(|link| {
                link["child"]["id"] == child.id.as_str() && link["state"] == "pending"
            });
        let mut confirmed = 0;
        for link in pending {
            let path = format!(
                "/api/cohorts/{cohort}/family-links/{}/confirm",
                link["id"].as_str().unwrap()
            );
            let (status, body) = self.call(reqwest::Method::POST, &path, admin, None).await;
            assert_eq!(status, reqwest::StatusCode::NO_CONTENT, "{body}");
            confirmed += 1;
        }
        confirmed
    }

    /// The server's one admin for confirming things, made on first use.
    pub async fn admin(&self) -> &Account {
        self.admin
            .get_or_init(|| self.staff(Role::Admin, "Amministrazione"))
            .await
    }

    /// A request with `who`'s token and an optional JSON body: the status and the JSON answer
    /// (`Null` when the answer is empty or not JSON).
    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        who: &Account,
        body: Option<Value>,
    ) -> (reqwest::StatusCode, Value) {
        let mut request = self
            .client
            .request(method, self.url(path))
            .bearer_auth(&who.token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        answer(request.send().await.unwrap()).await
    }

    /// `GET` with `who`'s token.
    pub async fn get_as(&self, path: &str, who: &Account) -> (reqwest::StatusCode, Value) {
        self.get_with(path, &who.token).await
    }

    /// `GET` with a bearer token: the status and the JSON answer (`Null` when not JSON).
    pub async fn get_with(&self, path: &str, token: &str) -> (reqwest::StatusCode, Value) {
        answer(self.get_response(path, token).await).await
    }

    /// `GET` with a bearer token, the answer as it came (for headers and non-JSON bodies).
    pub async fn get_response(&self, path: &str, token: &str) -> reqwest::Response {
        let request = self.client.get(self.url(path)).bearer_auth(token);
        request.send().await.unwrap()
    }

    /// `GET` with `who`'s token, which must answer 200; the JSON answer.
    pub async fn get_json(&self, path: &str, who: &Account) -> Value {
        let (status, body) = self.get_as(path, who).await;
        assert_eq!(status, reqwest::StatusCode::OK, "{path}: {body}");
        body
    }

    /// A `POST` with no token.
    pub async fn post_anonymous(&self, path: &str, body: &Value) -> (reqwest::StatusCode, Value) {
        self.post_from(&self.client, path, body).await
    }

    /// A `POST` with no token from `client` (another one seems to come from another address).
    pub async fn post_from(
        &self,
        client: &reqwest::Client,
        path: &str,
        body: &Value,
    ) -> (reqwest::StatusCode, Value) {
        answer(client.post(self.url(path)).json(body).send().await.unwrap()).await
    }

    /// `POST /api/join` as a learner aged 14 or more, whatever the answer.
    pub async fn try_join(&self, code: &str, nickname: &str) -> (reqwest::StatusCode, Value) {
        let body =
            json!({"code": code, "nickname": nickname, "secret": SECRET, "age_band": "14_plus"});
        self.post_anonymous("/api/join", &body).await
    }

    /// `POST /api/login` with the secret [`SECRET`].
    pub async fn login(&self, code: &str, nickname: &str) -> (reqwest::StatusCode, Value) {
        let body = json!({"code": code, "nickname": nickname, "secret": SECRET});
        self.post_anonymous("/api/login", &body).await
    }

    /// `POST /api/staff/login`.
    pub async fn staff_login(&self, name: &str, password: &str) -> (reqwest::StatusCode, Value) {
        let body = json!({"name": name, "password": password});
        self.post_anonymous("/api/staff/login", &body).await
    }

    /// `POST /api/sync/push` from a new device.
    pub async fn push(&self, token: &str, events: Value) -> (reqwest::StatusCode, Value) {
        self.push_from(token, Uuid::new_v4(), events).await
    }

    pub async fn push_from(
        &self,
        token: &str,
        device: Uuid,
        events: Value,
    ) -> (reqwest::StatusCode, Value) {
        let body = json!({"device_id": device, "events": events});
        let response = self
            .client
            .post(self.url("/api/sync/push"))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = response.status();
        (status, response.json().await.unwrap())
    }

    /// `GET /api/sync/pull?QUERY`.
    pub async fn pull(&self, token: &str, query: &str) -> (reqwest::StatusCode, Value) {
        self.get_with(&format!("/api/sync/pull?{query}"), token)
            .await
    }

    /// The server's database, as the store reads it.
    pub async fn store(&self) -> officina_server::store::backend::Db {
        officina_server::db::open_existing_db(&self.db)
            .await
            .expect("the database opens")
    }

    /// The server's database, as `--db` names it.
    pub fn target(&self) -> &Target {
        &self.db
    }

    /// `--db`'s value for a command on the server's database: the SQLite file or the URL.
    pub fn db_arg(&self) -> std::ffi::OsString {
        db_arg(&self.db)
    }

    /// What a command that touches photos needs besides `--db`: nothing with SQLite (the photos
    /// are beside the file), the server's `--photos-dir` with PostgreSQL.
    pub fn photos_args(&self) -> Vec<std::ffi::OsString> {
        match (&self.db, &self.photos) {
            (Target::Postgres(_), Some(dir)) => vec!["--photos-dir".into(), dir.into()],
            _ => Vec::new(),
        }
    }

    /// The SQLite file, for a test that reads or changes it directly.
    pub fn db(&self) -> &Path {
        match &self.db {
            Target::Sqlite(path) => path,
            Target::Postgres(url) => {
                panic!("this test reads an SQLite file; the database is {url}")
            }
        }
    }

    /// Stops gracefully and waits until the server has closed.
    pub async fn stop(self) {
        let _ = self.stop.send(());
        self.task.await.expect("server task").expect("server ran");
    }
}
