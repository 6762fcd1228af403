//! Data rights on a real socket: a person takes all their data as a ZIP, erases their account (a
//! parent for a child under 14) leaving nothing behind but the impact report's counts, and old
//! cohorts' accounts are erased by retention.

mod common;

use common::photos::{files_in, get_photo, uploaded};
use common::{Account, SECRET, TestServer, Workspace, completed, error_code};
use officina_core::account::Role;
use officina_server::on;
use officina_server::store::backend::{Backend, Db};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::io::{Cursor, Read};
use uuid::Uuid;

fn family_task(role: &str, reflection: &str) -> Value {
    json!({"id": Uuid::new_v4(), "kind": "family_task_confirmed",
           "activity_id": "famiglia-esperimento", "at": "2026-11-25T18:00:00Z",
           "data": {"role": role, "reflection": reflection}})
}

/// The fixture's first module, done: a badge.
fn module() -> Value {
    json!([
        completed(Uuid::new_v4(), "demo-lezione"),
        common::submitted(Uuid::new_v4()),
        common::passed_quiz(Uuid::new_v4()),
    ])
}

/// The files of a ZIP answer, by name.
async fn unzip(response: reqwest::Response) -> Vec<(String, Vec<u8>)> {
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/zip");
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.starts_with("attachment; filename=\"officina-dati-"),
        "{disposition}"
    );
    let bytes = response.bytes().await.unwrap();
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).unwrap();
            let mut content = Vec::new();
            file.read_to_end(&mut content).unwrap();
            (file.name().unwrap().to_string(), content)
        })
        .collect()
}

fn file<'z>(files: &'z [(String, Vec<u8>)], name: &str) -> &'z [u8] {
    &files
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("{name} in the ZIP"))
        .1
}

async fn erase(
    server: &TestServer,
    path: &str,
    who: &Account,
    secret: &str,
) -> (StatusCode, Value) {
    let body = json!({ "secret": secret });
    server.call(Method::DELETE, path, who, Some(body)).await
}

/// A cohort impact report with the "active" column blanked: who is active is about now.
async fn impact_but_active(server: &TestServer, cohort: &str, staff: &Account) -> Value {
    let mut report = server
        .get_json(&format!("/api/cohorts/{cohort}/impact"), staff)
        .await;
    for table in report["tables"].as_array_mut().unwrap() {
        if table["title"] == "Partecipazione" {
            for row in table["table"]["rows"].as_array_mut().unwrap() {
                row[3] = Value::Null;
            }
        }
    }
    report
}

#[tokio::test]
async fn a_learner_takes_all_their_data_and_nothing_of_anyone_elses() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let cohort = server.cohort("Famiglie", "famiglia", &[]).await;
    let luna = server
        .join_aged(&cohort.join_code, "Luna", "under_14")
        .await;
    let mum = server.parent(&cohort.join_code, "Mamma di Luna").await;
    let dad = server.parent(&cohort.join_code, "Papà di Luna").await;
    server.confirmed_link(&mum, &luna).await;
    server.confirmed_link(&dad, &luna).await;
    server.push(&luna.token, module()).await;
    let thought = json!([family_task("child", "il pensiero di Luna")]);
    server.push(&luna.token, thought).await;
    let mums = json!([family_task("parent", "il pensiero della mamma")]);
    server.push(&mum.token, mums).await;
    let photo = uploaded(&server, &luna).await;
    let badges = server.get_json("/api/badges", &luna).await;

    let response = server.get_response("/api/me/export", &luna.token).await;
    let files = unzip(response).await;
    let data: Value = serde_json::from_slice(file(&files, "dati.json")).unwrap();
    assert_eq!(data["account"]["nickname"], "Luna");
    assert_eq!(data["account"]["cohort_name"], "Famiglie");
    let events = data["events"].as_array().unwrap();
    assert_eq!(events.len(), 4, "her own events, all of them");
    let everything = String::from_utf8_lossy(file(&files, "dati.json")).into_owned();
    assert!(everything.contains("il pensiero di Luna"));
    let relatives = "never a relative's reflection";
    assert!(
        !everything.contains("il pensiero della mamma"),
        "{relatives}"
    );
    assert!(!everything.contains("argon2"), "never the secret's hash");
    assert_eq!(data["badges"][0]["id"], badges["assertions"][0]["id"]);
    let url = data["badges"][0]["url"].as_str().unwrap();
    assert!(url.contains("/ob/assertions/"), "{url}");
    assert_eq!(data["family"].as_array().unwrap().len(), 2);
    let served = get_photo(&server, Some(&luna.token), photo)
        .await
        .bytes()
        .await
        .unwrap();
    assert_eq!(file(&files, &format!("foto/{photo}.jpg")), &served[..]);
    assert_eq!(files.len(), 3, "LEGGIMI.txt, dati.json and the photo");

    // Her confirmed parent may take it too, without what is hers alone: her thoughts, her other
    // parent. A stranger may not; nor may a parent once the child is 14 or over.
    let export = format!("/api/family/{}/export", luna.id);
    let zipped = server
        .client
        .get(server.url(&export))
        .bearer_auth(&mum.token)
        .header("accept-encoding", "br, gzip")
        .send()
        .await
        .unwrap();
    let encoding = zipped.headers().get("content-encoding").cloned();
    assert_eq!(encoding, None, "a ZIP is not compressed again");
    let by_mum = unzip(zipped).await;
    let seen = String::from_utf8_lossy(file(&by_mum, "dati.json")).into_owned();
    assert!(!seen.contains("il pensiero di Luna"), "{seen}");
    assert!(
        !seen.contains("Papà di Luna") && seen.contains("Mamma di Luna"),
        "{seen}"
    );
    let stranger = server.parent(&cohort.join_code, "Estranea").await;
    let by_stranger = server.get_response(&export, &stranger.token).await;
    assert_eq!(by_stranger.status(), StatusCode::NOT_FOUND);
    let sole = server.join(&cohort.join_code, "Sole").await;
    server.confirmed_link(&mum, &sole).await;
    let of_sole = format!("/api/family/{}/export", sole.id);
    let of_sole = server.get_response(&of_sole, &mum.token).await;
    assert_eq!(of_sole.status(), StatusCode::FORBIDDEN);
    server.stop().await;
}

#[tokio::test]
async fn an_erased_account_leaves_nothing_but_the_reports_counts() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let maria = server.staff(Role::Educator, "Maria").await;
    let cohort = server.cohort("Lab", "demo", &["Maria"]).await;
    let mut learners = Vec::new();
    for n in 0..5 {
        let learner = server.join(&cohort.join_code, &format!("Stella{n}")).await;
        server.push(&learner.token, module()).await;
        learners.push(learner);
    }
    let vega = &learners[0];
    uploaded(&server, vega).await;
    let issued = server.get_json("/api/badges", vega).await;
    let assertion = format!(
        "/ob/assertions/{}",
        issued["assertions"][0]["id"].as_str().unwrap()
    );
    let other = server.pull(&learners[1].token, "since=0").await.1;
    let report = impact_but_active(&server, &cohort.id, &maria).await;
    assert_eq!(
        files_in(&workspace.dir.path().join("data/photos"), ".jpg").len(),
        1
    );

    let (status, body) = erase(&server, "/api/me", vega, "non-e-il-pin").await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::UNAUTHORIZED, "bad_credentials")
    );
    let (status, body) = erase(&server, "/api/me", vega, SECRET).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");

    assert_eq!(
        server.get_with("/api/me", &vega.token).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        server.login(&cohort.join_code, "Stella0").await.0,
        StatusCode::UNAUTHORIZED
    );
    let public = server
        .client
        .get(server.url(&assertion))
        .send()
        .await
        .unwrap();
    assert_eq!(public.status(), StatusCode::GONE);
    let revoked: Value = public.json().await.unwrap();
    assert_eq!(revoked["revoked"], true);
    assert!(
        files_in(&workspace.dir.path().join("data/photos"), ".jpg").is_empty(),
        "the photo's file too"
    );
    let db = server.store().await;
    assert_eq!(rows_naming(&db, &vega.id).await, Vec::<String>::new());
    assert_eq!(
        server.pull(&learners[1].token, "since=0").await.1,
        other,
        "others untouched"
    );
    assert_eq!(
        impact_but_active(&server, &cohort.id, &maria).await,
        report,
        "the report adds up"
    );
    server.stop().await;
}

/// Every table and column of the database that still holds `id`.
async fn rows_naming(db: &Db, id: &str) -> Vec<String> {
    let columns: Vec<(String, String)> =
        match db {
            Backend::Sqlite(pool) => sqlx::query_as(
                "SELECT m.name, p.name FROM sqlite_master AS m JOIN pragma_table_info(m.name) AS p
                 WHERE m.type = 'table' AND p.type = 'TEXT'",
            )
            .fetch_all(pool)
            .await,
            Backend::Postgres(pool) => {
                sqlx::query_as(
                    "SELECT c.table_name::text, c.column_name::text
                 FROM information_schema.columns AS c JOIN information_schema.tables AS t
                     ON t.table_schema = c.table_schema AND t.table_name = c.table_name
                 WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
                     AND c.data_type = 'text'",
                )
                .fetch_all(pool)
                .await
            }
        }
        .unwrap();
    assert!(
        columns
            .iter()
            .any(|(table, column)| (table.as_str(), column.as_str()) == ("users", "id")),
        "the text columns are found: {columns:?}"
    );
    let mut found = Vec::new();
    for (table, column) in columns {
        let sql =
            format!("SELECT COUNT(*) FROM \"{table}\" WHERE \"{column}\" LIKE '%' || $1 || '%'");
        let count: i64 = on!(db, c => sqlx::query_scalar(&sql)
            .bind(id)
            .fetch_one(c)
            .await)
        .unwrap();
        if count > 0 {
            found.push(format!("{table}.{column}"));
        }
    }
    found
}

#[tokio::test]
async fn a_parent_erases_a_child_under_14_and_the_family_tasks_still_count() {
    let (_workspace, server, maria, cohort) = common::family_cohort_run_by_maria().await;
    let luna = server
        .join_aged(&cohort.join_code, "Luna", "under_14")
        .await;
    let sole = server.join(&cohort.join_code, "Sole").await;
    for n in 0..3 {
        server.join(&cohort.join_code, &format!("Altro{n}")).await;
    }
    let mum = server.parent(&cohort.join_code, "Mamma").await;
    let dad = server.parent(&cohort.join_code, "Papà").await;
    server.confirmed_link(&mum, &luna).await;
    server.confirmed_link(&dad, &sole).await;
    server
        .push(&sole.token, json!([family_task("child", "")]))
        .await;
    server
        .push(&dad.token, json!([family_task("parent", "")]))
        .await;

    let (status, body) = erase(&server, "/api/me", &luna, SECRET).await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::FORBIDDEN, "ask_a_parent")
    );
    let (status, body) = erase(&server, &format!("/api/family/{}", sole.id), &dad, SECRET).await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::FORBIDDEN, "own_decision"),
        "14 or over"
    );
    let (status, _) = erase(&server, &format!("/api/family/{}", luna.id), &dad, SECRET).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "not his child");
    let (status, _) = erase(&server, &format!("/api/family/{}", luna.id), &mum, SECRET).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(
        server.get_with("/api/me", &luna.token).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        server.get_json("/api/family", &mum).await["children"],
        json!([])
    );

    // Sole's father leaves: the task they did together no longer shows as done for Sole, but the
    // report still counts it, and him.
    let report = impact_but_active(&server, &cohort.id, &maria).await;
    let progress = server.get_json("/api/progress", &sole).await;
    assert_eq!(progress["activities"]["famiglia-esperimento"], "done");
    let (status, _) = erase(&server, "/api/me", &dad, SECRET).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let progress = server.get_json("/api/progress", &sole).await;
    assert_eq!(
        progress["activities"]["famiglia-esperimento"],
        "in_progress"
    );
    assert_eq!(impact_but_active(&server, &cohort.id, &maria).await, report);
    server.stop().await;
}

/// Runs the server binary's command `args` on the test server's database and content.
fn command(server: &TestServer, args: &[&str]) -> String {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_officina-server"))
        .args(args)
        .arg("--db")
        .arg(server.db_arg())
        .args(server.photos_args())
        .env("OFFICINA_CONTENT", common::fixture_content())
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    said
}

#[tokio::test]
async fn an_admin_exports_and_erases_from_the_command_line_and_retention_erases_ended_cohorts() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let ended = server.cohort("Estate 2024", "demo", &[]).await;
    let running = server.cohort("Inverno", "demo", &[]).await;
    let old = server.join(&ended.join_code, "Orione").await;
    let also_old = server.join(&ended.join_code, "Vega").await;
    let current = server.join(&running.join_code, "Lira").await;
    server.push(&old.token, module()).await;
    let db = server.store().await;
    on!(&db, c => sqlx::query("UPDATE cohorts SET ends_on = '2024-09-30' WHERE id = $1")
        .bind(&ended.id)
        .execute(c)
        .await
        .map(drop))
    .unwrap();

    let zip_path = workspace.dir.path().join("orione.zip");
    let zip_arg = zip_path.to_str().unwrap();
    command(
        &server,
        &[
            "export",
            "--user",
            &old.id,
            "--to",
            zip_arg,
            "--public-url",
            "https://officina.example",
        ],
    );
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&zip_path).unwrap()).unwrap();
    let data: Value = serde_json::from_reader(archive.by_name("dati.json").unwrap()).unwrap();
    assert_eq!(data["account"]["nickname"], "Orione");
    assert_eq!(data["events"].as_array().unwrap().len(), 3);

    let mistyped = workspace.dir.path().join("refuso.db");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_officina-server"))
        .args(["retention", "--older-than", "30", "--dry-run", "--db"])
        .arg(&mistyped)
        .env("OFFICINA_CONTENT", common::fixture_content())
        .output()
        .unwrap();
    assert!(!output.status.success(), "a mistyped database is an error");
    assert!(!mistyped.exists(), "and is not created");
    let said = command(&server, &["retention", "--older-than", "30", "--dry-run"]);
    assert!(
        said.contains("da cancellare: Orione") && said.contains("da cancellare: Vega"),
        "{said}"
    );
    assert!(said.contains("account da cancellare: 2"), "{said}");
    assert_eq!(
        server.get_with("/api/me", &old.token).await.0,
        StatusCode::OK,
        "a dry run erases nothing"
    );

    let said = command(&server, &["erase", "--user", &also_old.id]);
    assert!(said.contains("cancellato: Vega"), "{said}");
    let said = command(&server, &["retention", "--older-than", "30"]);
    assert!(
        said.contains("cancellato: Orione (attività 3, foto 0, badge ritirati"),
        "{said}"
    );
    assert!(said.contains("account cancellati: 1"), "{said}");
    assert_eq!(
        server.get_with("/api/me", &old.token).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        server.get_with("/api/me", &current.token).await.0,
        StatusCode::OK,
        "a running cohort stays"
    );
    let said = command(&server, &["retention", "--older-than", "30"]);
    assert!(said.contains("account cancellati: 0"), "{said}");
    server.stop().await;
}

#[tokio::test]
async fn an_erasure_asked_many_times_at_once_happens_once_and_cleanly() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let cohort = server.cohort("Lab", "demo", &[]).await;
    let vega = server.join(&cohort.join_code, "Vega").await;
    server.push(&vega.token, module()).await;
    let mut requests = tokio::task::JoinSet::new();
    for _ in 0..6 {
        let erase = server
            .client
            .delete(server.url("/api/me"))
            .bearer_auth(&vega.token);
        requests.spawn(erase.json(&json!({"secret": SECRET})).send());
        let push = server
            .client
            .post(server.url("/api/sync/push"))
            .bearer_auth(&vega.token);
        let events = json!({"device_id": Uuid::new_v4(), "events": [completed(Uuid::new_v4(), "demo-lezione")]});
        requests.spawn(push.json(&events).send());
    }
    let statuses: Vec<StatusCode> = requests
        .join_all()
        .await
        .into_iter()
        .map(|r| r.unwrap().status())
        .collect();
    let erased = statuses
        .iter()
        .filter(|s| **s == StatusCode::NO_CONTENT)
        .count();
    assert_eq!(erased, 1, "{statuses:?}");
    assert!(
        statuses.iter().all(|s| !s.is_server_error()),
        "{statuses:?}"
    );
    let db = server.store().await;
    assert_eq!(
        rows_naming(&db, &vega.id).await,
        Vec::<String>::new(),
        "no push slipped in after"
    );
    server.stop().await;
}

#[tokio::test]
async fn a_photo_file_another_account_also_sent_stays_for_them() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let cohort = server.cohort("Lab", "demo", &[]).await;
    let vega = server.join(&cohort.join_code, "Vega").await;
    let lira = server.join(&cohort.join_code, "Lira").await;
    uploaded(&server, &vega).await;
    let liras = uploaded(&server, &lira).await;
    let photos = workspace.dir.path().join("data/photos");
    assert_eq!(
        files_in(&photos, ".jpg").len(),
        1,
        "the same picture is one file"
    );
    let (status, _) = erase(&server, "/api/me", &vega, SECRET).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(files_in(&photos, ".jpg").len(), 1);
    let response = get_photo(&server, Some(&lira.token), liras).await;
    assert_eq!(response.status(), StatusCode::OK);
    server.stop().await;
}
