//! Nicknames on a real socket: no invisible characters, no look-alike of a classmate, normalised,
//! and the look-alike rule holds for joins at the same moment and for accounts made before it.

mod common;

use common::{TestServer, Workspace, error_code};
use officina_server::nicknames::skeleton;
use officina_server::on;
use reqwest::StatusCode;
use serde_json::Value;

const LATIN: &str = "Astro";
const CYRILLIC: &str = "\u{0410}stro";

fn message(body: &Value) -> &str {
    body["error"]["message"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn invisible_and_look_alike_nicknames_are_refused_with_their_reason() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let code = server.new_cohort().await;
    server.join(&code, LATIN).await;
    let invisible = "contiene caratteri di controllo o invisibili";
    let no_letter = "deve contenere almeno una lettera o una cifra";
    for (nickname, reason) in [
        ("Astro\u{2066}", invisible),
        ("Ast\u{200D}ro", invisible),
        ("\u{200D}\u{200D}Lu", invisible),
        ("\u{3164}\u{3164}", invisible),
        ("\u{2800}\u{2800}", no_letter),
        (
            "As\u{2028}tro",
            "tra le parole si può usare solo lo spazio normale",
        ),
        ("*** !!! ***", no_letter),
    ] {
        let (status, body) = server.try_join(&code, nickname).await;
        assert_eq!(
            (status, error_code(&body)),
            (StatusCode::BAD_REQUEST, "invalid_nickname"),
            "{nickname:?}: {body}"
        );
        assert_eq!(
            message(&body),
            format!("Soprannome non valido: {reason}."),
            "{nickname:?}"
        );
    }
    for look_alike in [CYRILLIC, "Astr\u{043E}", "ＡＳＴＲＯ", "astro"] {
        let (status, body) = server.try_join(&code, look_alike).await;
        assert_eq!(
            (status, error_code(&body)),
            (StatusCode::CONFLICT, "nickname_taken"),
            "{look_alike}: {body}"
        );
        assert!(message(&body).contains("somiglia troppo"), "{body}");
    }
    let other = server.new_cohort().await;
    server.join(&other, CYRILLIC).await;
    server.stop().await;
}

#[tokio::test]
async fn italian_names_are_accepted_in_nfkc_and_log_in_as_typed() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let code = server.new_cohort().await;
    for (typed, stored) in [
        ("Niccolò", "Niccolò"),
        ("Maria Chiara", "Maria Chiara"),
        ("D'Amico Ilaria", "D'Amico Ilaria"),
        ("Lu\u{0300}cia", "Lùcia"),
        ("Ｇｉｏｖａｎｎｉ", "Giovanni"),
        ("Zoë 2", "Zoë 2"),
    ] {
        let (status, body) = server.try_join(&code, typed).await;
        assert_eq!(status, StatusCode::CREATED, "{typed}: {body}");
        assert_eq!(body["user"]["nickname"], stored);
        for again in [typed, stored] {
            assert_eq!(
                server.login(&code, again).await.0,
                StatusCode::OK,
                "{again}"
            );
        }
    }
    server.stop().await;
}

#[tokio::test]
async fn of_two_look_alikes_joining_at_once_exactly_one_gets_in() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    for _ in 0..5 {
        let code = server.new_cohort().await;
        let (latin, cyrillic) = tokio::join!(
            server.try_join(&code, LATIN),
            server.try_join(&code, CYRILLIC)
        );
        let mut statuses = [latin.0, cyrillic.0];
        statuses.sort();
        assert_eq!(
            statuses,
            [StatusCode::CREATED, StatusCode::CONFLICT],
            "{} {}",
            latin.1,
            cyrillic.1
        );
    }
    server.stop().await;
}

#[tokio::test]
async fn accounts_made_before_the_rule_keep_their_nicknames_and_get_a_skeleton() {
    // On PostgreSQL: members copied from an SQLite file by `migrate-to` that still have none.
    let workspace = Workspace::new();
    let args = workspace.args();
    let server = TestServer::start(&args).await;
    let code = server.new_cohort().await;
    server.join(&code, LATIN).await;
    server.join(&code, "Mario").await;
    // As the accounts were before: no skeleton, and a look-alike of Astro among them.
    let db = server.store().await;
    on!(&db, c => sqlx::query("UPDATE users SET nickname_skeleton = NULL")
        .execute(c)
        .await
        .map(drop))
    .unwrap();
    on!(&db, c => sqlx::query(
        "INSERT INTO users (id, role, cohort_id, nickname, secret_hash, age_band)
         SELECT 'older-look-alike', role, cohort_id, $1, secret_hash, age_band
         FROM users WHERE nickname = $2",
    )
    .bind(CYRILLIC)
    .bind(LATIN)
    .execute(c)
    .await
    .map(drop))
    .unwrap();
    db.close().await;
    server.stop().await;

    let server = TestServer::start(&args).await;
    for nickname in [LATIN, CYRILLIC, "Mario"] {
        let (status, body) = server.login(&code, nickname).await;
        assert_eq!(status, StatusCode::OK, "{nickname}: {body}");
        assert_eq!(body["user"]["nickname"], nickname, "kept as it was");
    }
    for look_alike in ["Astr\u{043E}", "\u{041C}ario"] {
        let (status, body) = server.try_join(&code, look_alike).await;
        assert_eq!(status, StatusCode::CONFLICT, "{look_alike}: {body}");
    }
    let db = server.store().await;
    let skeletons: Vec<(String, Option<String>)> = on!(&db, c =>
        sqlx::query_as("SELECT nickname, nickname_skeleton FROM users ORDER BY nickname_skeleton IS NULL, nickname")
            .fetch_all(c)
            .await)
    .unwrap();
    assert_eq!(
        skeletons,
        [
            (LATIN.to_owned(), Some(skeleton(LATIN))),
            ("Mario".to_owned(), Some(skeleton("Mario"))),
            (CYRILLIC.to_owned(), None),
        ]
    );
    server.stop().await;
}
