//! The educators' reports: the review queue, the dashboard and the impact report, as JSON and
//! CSV, only for the staff who run the cohort (the programme's impact for any staff).

mod common;

use common::photos::{gps_jpeg, upload};
use common::{Account, TestServer, Workspace, statuses};
use officina_core::account::Role;
use officina_core::impact::Impact;
use officina_core::table::Table;
use officina_server::on;
use officina_server::store::clock;
use reqwest::StatusCode;
use reqwest::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use serde_json::{Value, json};
use uuid::Uuid;

fn every_report_of(cohort: &str) -> Vec<String> {
    [
        "reviews",
        "dashboard",
        "dashboard.csv?table=learners",
        "impact",
        "impact.csv",
    ]
    .iter()
    .map(|r| format!("/api/cohorts/{cohort}/{r}"))
    .collect()
}

#[tokio::test]
async fn only_the_staff_who_run_a_cohort_read_its_reports() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let maria = server.staff(Role::Educator, "Maria").await;
    server.staff(Role::Educator, "Luca").await;
    let admin = server.staff(Role::Admin, "Capo").await;
    let a = server.cohort("Lab", "demo", &["Maria"]).await.id;
    let b = server.cohort("Lab", "famiglia", &["Luca"]).await.id;
    let family_code = server.cohort("Lab", "famiglia", &["Maria"]).await.join_code;
    let learner = server.learner().await;
    let parent = server.parent(&family_code, "Mamma").await;

    for path in every_report_of(&a) {
        assert_eq!(
            server.get_response(&path, &maria.token).await.status(),
            StatusCode::OK,
            "{path}"
        );
        assert_eq!(
            server.get_response(&path, &admin.token).await.status(),
            StatusCode::OK,
            "{path}"
        );
    }
    for path in every_report_of(&b) {
        let response = server.get_response(&path, &maria.token).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], "not_found");
    }
    let mut everything = every_report_of(&a);
    everything.extend(["/api/impact".into(), "/api/impact.csv".into()]);
    for path in &everything {
        for who in [&learner, &parent] {
            assert_eq!(
                server.get_response(path, &who.token).await.status(),
                StatusCode::NOT_FOUND,
                "{path}"
            );
        }
        let anonymous = server.client.get(server.url(path)).send().await.unwrap();
        assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED, "{path}");
    }
    for path in ["/api/impact", "/api/impact.csv"] {
        assert_eq!(
            server.get_response(path, &maria.token).await.status(),
            StatusCode::OK
        );
    }
    let unknown = format!("/api/cohorts/{}/dashboard", Uuid::new_v4());
    assert_eq!(
        server.get_response(&unknown, &admin.token).await.status(),
        StatusCode::NOT_FOUND
    );
    server.stop().await;
}

fn submitted(id: Uuid, text: &str, photos: &[Uuid]) -> Value {
    json!({"id": id, "kind": "challenge_submitted", "activity_id": "demo-sfida",
           "at": "2026-11-25T10:00:00Z", "data": {"text": text, "photos": photos}})
}

fn reviewed(id: Uuid, learner: &Account, status: &str, comment: &str) -> Value {
    json!({"id": id, "user_id": learner.id, "kind": "challenge_reviewed", "activity_id": "demo-sfida",
           "at": "2026-11-26T09:00:00Z", "data": {"status": status, "comment": comment}})
}

/// `(nickname, text, review status)` of each item of the queue, in order.
fn summary(queue: &Value) -> Vec<(String, String, Option<String>)> {
    queue
        .as_array()
        .unwrap()
        .iter()
        .map(|item| {
            (
                item["nickname"].as_str().unwrap().to_owned(),
                item["text"].as_str().unwrap().to_owned(),
                item["review"]["status"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

#[tokio::test]
async fn the_review_queue_puts_pending_submissions_first() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let maria = server.staff(Role::Educator, "Maria").await;
    let lab = server.cohort("Lab", "demo", &["Maria"]).await;
    let (id, code) = (lab.id, lab.join_code);
    let astro = server.join(&code, "Astro").await;
    let cometa = server.join(&code, "Cometa").await;
    let queue_url = format!("/api/cohorts/{id}/reviews");
    assert_eq!(server.get_json(&queue_url, &maria).await, json!([]));

    let photo = Uuid::new_v4();
    let first = Uuid::new_v4();
    let (_, pushed) = server
        .push(
            &astro.token,
            json!([submitted(first, "Un razzo", &[photo])]),
        )
        .await;
    assert_eq!(statuses(&pushed), ["accepted"]);
    let queue = server.get_json(&queue_url, &maria).await;
    assert_eq!(
        queue,
        json!([{"event_id": first, "learner_id": astro.id, "nickname": "Astro",
                "activity_id": "demo-sfida", "at": "2026-11-25T10:00:00Z", "text": "Un razzo",
                "photos": [{"id": photo, "uploaded": false}], "review": null}])
    );
    // The photo arrives after the event, as it does from a phone that was offline.
    upload(&server, &astro.token, photo, &gps_jpeg()).await;
    let queue = server.get_json(&queue_url, &maria).await;
    assert_eq!(queue[0]["photos"], json!([{"id": photo, "uploaded": true}]));

    let (_, pushed) = server
        .push(
            &maria.token,
            json!([reviewed(
                Uuid::new_v4(),
                &astro,
                "changes_requested",
                "Manca la foto del lancio"
            )]),
        )
        .await;
    assert_eq!(statuses(&pushed), ["accepted"]);
    let queue = server.get_json(&queue_url, &maria).await;
    assert_eq!(
        queue[0]["review"],
        json!({"status": "changes_requested", "comment": "Manca la foto del lancio", "at": "2026-11-26T09:00:00Z"})
    );

    server
        .push(
            &cometa.token,
            json!([submitted(Uuid::new_v4(), "Una vela", &[])]),
        )
        .await;
    assert_eq!(
        summary(&server.get_json(&queue_url, &maria).await),
        [
            ("Cometa".into(), "Una vela".into(), None),
            (
                "Astro".into(),
                "Un razzo".into(),
                Some("changes_requested".into())
            ),
        ],
        "pending first"
    );

    // Astro sends it again: only the latest submission is listed, and it waits for a review again.
    server
        .push(
            &astro.token,
            json!([submitted(Uuid::new_v4(), "Un razzo, con la foto", &[])]),
        )
        .await;
    assert_eq!(
        summary(&server.get_json(&queue_url, &maria).await),
        [
            ("Cometa".into(), "Una vela".into(), None),
            ("Astro".into(), "Un razzo, con la foto".into(), None),
        ]
    );
    server
        .push(
            &maria.token,
            json!([reviewed(Uuid::new_v4(), &cometa, "approved", "Brava")]),
        )
        .await;
    assert_eq!(
        summary(&server.get_json(&queue_url, &maria).await),
        [
            ("Astro".into(), "Un razzo, con la foto".into(), None),
            ("Cometa".into(), "Una vela".into(), Some("approved".into())),
        ]
    );
    server.stop().await;
}

/// The body of a CSV download, checked to be one, without its byte-order mark.
async fn csv(server: &TestServer, path: &str, who: &Account, file: &str) -> String {
    let response = server.get_response(path, &who.token).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    assert_eq!(response.headers()[CONTENT_TYPE], "text/csv; charset=utf-8");
    let disposition = response.headers()[CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        disposition.starts_with(&format!("attachment; filename=\"officina-{file}-20")),
        "{disposition}"
    );
    let bytes = response.bytes().await.unwrap();
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    text.strip_prefix('\u{feff}')
        .expect("a byte-order mark")
        .to_owned()
}

#[tokio::test]
async fn the_csv_is_the_table_on_screen() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let maria = server.staff(Role::Educator, "Maria").await;
    let lab = server.cohort("Lab", "demo", &["Maria"]).await;
    let (id, code) = (lab.id, lab.join_code);
    let hostile = server.join(&code, "=1+1, \"x\"").await;
    server
        .push(
            &hostile.token,
            json!([common::completed(Uuid::new_v4(), "demo-lezione")]),
        )
        .await;
    server.join(&code, "Cometa").await;
    let db = server.store().await;
    let three_days_ago = clock::at_seconds(-time::Duration::days(3));
    on!(&db, c => sqlx::query("UPDATE users SET last_synced_at = $1 WHERE nickname = 'Cometa'")
        .bind(&three_days_ago)
        .execute(c)
        .await
        .map(drop))
    .unwrap();

    for lang in ["it", "en"] {
        let board = server
            .get_json(&format!("/api/cohorts/{id}/dashboard?lang={lang}"), &maria)
            .await;
        for (which, file) in [
            ("learners", "gruppo-partecipanti"),
            ("activities", "gruppo-attivita"),
        ] {
            let table: Table = serde_json::from_value(board[which].clone()).unwrap();
            let path = format!("/api/cohorts/{id}/dashboard.csv?table={which}&lang={lang}");
            assert_eq!(csv(&server, &path, &maria, file).await, table.to_csv());
        }
    }
    let board = server
        .get_json(&format!("/api/cohorts/{id}/dashboard"), &maria)
        .await;
    let learners: Table = serde_json::from_value(board["learners"].clone()).unwrap();
    assert_eq!(learners.columns[0], "Soprannome", "Italian by default");
    let cometa = learners.rows.iter().find(|r| r[0] == "Cometa").unwrap();
    assert!(
        cometa[4].ends_with("(non sincronizza da 3 giorni)"),
        "{cometa:?}"
    );
    let text = csv(
        &server,
        &format!("/api/cohorts/{id}/dashboard.csv?table=learners"),
        &maria,
        "gruppo-partecipanti",
    )
    .await;
    assert!(
        text.contains("\r\n\"'=1+1, \"\"x\"\"\",ragazzo/a,33%,"),
        "{text}"
    );

    let report: Impact =
        serde_json::from_value(server.get_json("/api/impact?lang=en", &maria).await).unwrap();
    assert_eq!(
        csv(&server, "/api/impact.csv?lang=en", &maria, "impatto").await,
        report.to_csv()
    );
    let report: Impact = serde_json::from_value(
        server
            .get_json(&format!("/api/cohorts/{id}/impact"), &maria)
            .await,
    )
    .unwrap();
    let path = format!("/api/cohorts/{id}/impact.csv");
    assert_eq!(
        csv(&server, &path, &maria, "gruppo-impatto").await,
        report.to_csv()
    );
    server.stop().await;
}

#[tokio::test]
async fn bad_parameters_are_refused_clearly() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let maria = server.staff(Role::Educator, "Maria").await;
    let id = server.cohort("Lab", "demo", &["Maria"]).await.id;
    for path in [
        format!("/api/cohorts/{id}/dashboard?lang=fr"),
        format!("/api/cohorts/{id}/dashboard.csv"),
        format!("/api/cohorts/{id}/dashboard.csv?table=tutto"),
        "/api/impact?lingua=it".to_owned(),
    ] {
        let response = server.get_response(&path, &maria.token).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{path}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], "bad_request", "{path}");
    }
    server.stop().await;
}

/// The participation row of an impact report.
fn participation(report: &Value, row: usize) -> Vec<String> {
    let table = &report["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["title"] == "Partecipazione")
        .unwrap()["table"];
    serde_json::from_value(table["rows"][row].clone()).unwrap()
}

#[tokio::test]
async fn impact_figures_show_from_five_people_and_hide_below_except_zeros() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let maria = server.staff(Role::Educator, "Maria").await;
    let lab = server.cohort("Lab", "demo", &["Maria"]).await;
    let (five, code) = (lab.id, lab.join_code);
    for n in 0..5 {
        let learner = server.join(&code, &format!("Cinque{n}")).await;
        if n < 2 {
            let events = json!([common::completed(Uuid::new_v4(), "demo-lezione")]);
            server.push(&learner.token, events).await;
        }
    }
    let lab = server.cohort("Lab", "demo", &["Maria"]).await;
    let (four, code) = (lab.id, lab.join_code);
    for n in 0..4 {
        server.join(&code, &format!("Quattro{n}")).await;
    }

    let report = server
        .get_json(&format!("/api/cohorts/{five}/impact"), &maria)
        .await;
    // Young people, parents, active (device time in 2026-11: active only near then), completed, badges, family tasks.
    let row = participation(&report, 0);
    assert_eq!(row[..3], ["STEAMcamp", "5", "0"]);
    // The two who did the lesson earned the one-week streak badge: 2 badges among 5 people show.
    assert_eq!(row[4..], ["0%", "2", "0"]);
    let report = server
        .get_json(&format!("/api/cohorts/{four}/impact"), &maria)
        .await;
    // Nobody completed, earned a badge or did a family task: zeros are no one to point at.
    assert_eq!(
        participation(&report, 0),
        ["STEAMcamp", "<5", "0", "0", "0%", "0", "0"]
    );
    let programme = server.get_json("/api/impact", &maria).await;
    // STEAMcamp is the second programme; the fixture's family path has no cohort here.
    assert_eq!(participation(&programme, 1)[..3], ["STEAMcamp", "9", "0"]);
    assert_eq!(participation(&programme, 4)[..2], ["Totale", "9"]);
    let paths_run = &programme["tables"][0]["table"]["rows"][1];
    assert_eq!(paths_run, &json!(["STEAMcamp", "2", "5", "—", "—"]));
    server.stop().await;
}

/// The rows of one of a report's tables, by title.
fn table_rows(report: &Value, title: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let tables = report["tables"].as_array().unwrap();
    let table = &tables.iter().find(|t| t["title"] == title).unwrap()["table"];
    (
        serde_json::from_value(table["columns"].clone()).unwrap(),
        serde_json::from_value(table["rows"].clone()).unwrap(),
    )
}

#[tokio::test]
async fn a_class_of_three_shows_its_educator_exact_figures_and_the_funder_none() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let maria = server.staff(Role::Educator, "Maria").await;
    let lab = server.cohort("Lab", "demo", &["Maria"]).await;
    let mut class = Vec::new();
    for nickname in ["Astro", "Cometa", "Luna"] {
        class.push(server.join(&lab.join_code, nickname).await);
    }
    for learner in &class[..2] {
        let events = json!([common::completed(Uuid::new_v4(), "demo-lezione")]);
        server.push(&learner.token, events).await;
    }
    let assessed = |moment: &str, answers: [u8; 3]| {
        json!({"id": Uuid::new_v4(), "kind": "self_assessed", "at": "2026-11-25T10:00:00Z",
               "data": {"path_id": "demo", "moment": moment, "answers": answers}})
    };
    let quiz = json!({"id": Uuid::new_v4(), "kind": "quiz_submitted", "activity_id": "demo-quiz",
        "at": "2026-11-25T11:00:00Z", "data": {"answers": [[0], 500], "score": 50, "passed": true}});
    let events = json!([
        quiz,
        assessed("before", [1, 2, 3]),
        assessed("after", [3, 3, 3])
    ]);
    let (_, pushed) = server.push(&class[0].token, events).await;
    assert_eq!(statuses(&pushed), ["accepted"; 3]);

    let board = server
        .get_json(&format!("/api/cohorts/{}/dashboard", lab.id), &maria)
        .await;
    let activities: Table = serde_json::from_value(board["activities"].clone()).unwrap();
    let cells: Vec<&[String]> = activities.rows.iter().map(|r| &r[3..5]).collect();
    assert_eq!(
        cells,
        [["2 di 3", ""], ["0 di 3", ""], ["1 di 3", "1,0 su 2"]],
        "lesson, challenge, quiz: done by, mean score at first attempt"
    );
    assert!(activities.rows[2][5].contains("Quota della ISS in km? (1)"));
    let learners: Table = serde_json::from_value(board["learners"].clone()).unwrap();
    assert!(learners.rows.iter().flatten().all(|cell| cell != "<5"));

    let report = server
        .get_json(&format!("/api/cohorts/{}/impact", lab.id), &maria)
        .await;
    let (_, rows) = table_rows(&report, "Partecipazione");
    // Young people, parents, (active: by the clock), completed the path, badges, family tasks.
    assert_eq!(rows[0][..3], ["STEAMcamp", "<5", "0"]);
    assert_eq!(rows[0][4..], ["0%", "<5", "0"]);
    let (columns, rows) = table_rows(&report, "Autovalutazione delle competenze digitali");
    assert_eq!(
        columns[2..],
        [
            "Media prima (1–4; n/d con meno di 5 persone)",
            "Media dopo (1–4; n/d con meno di 5 persone)"
        ]
    );
    assert_eq!(rows, [["STEAMcamp", "<5", "n/d", "n/d"]]);
    let text = csv(
        &server,
        &format!("/api/cohorts/{}/impact.csv?lang=en", lab.id),
        &maria,
        "gruppo-impatto",
    )
    .await;
    assert!(
        text.contains("Mean before (1–4; n/a under 5 people)")
            && text.contains("STEAMcamp,<5,n/a,n/a"),
        "{text}"
    );
    server.stop().await;
}
