//! Consent an educator stands behind, on a real socket: a family link is pending until an educator
//! of the child's cohort confirms it, and gives nothing until then; a learner under 14's badges
//! leave Officina only with a confirmed link or consent on paper, and unlinking withdraws it.

mod common;

use common::photos::{get_photo, uploaded};
use common::{Account, TestServer, Workspace, error_code};
use officina_core::account::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

/// The fixture's first module, done: enough for a badge.
async fn earn_a_badge(server: &TestServer, learner: &Account) {
    let module = [
        common::completed(Uuid::new_v4(), "demo-lezione"),
        common::submitted(Uuid::new_v4()),
        common::passed_quiz(Uuid::new_v4()),
    ];
    let (status, answer) = server.push(&learner.token, json!(module)).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
}

fn family_task(role: &str) -> Value {
    json!({"id": Uuid::new_v4(), "kind": "family_task_confirmed",
           "activity_id": "famiglia-esperimento", "at": "2026-11-25T18:00:00Z",
           "data": {"role": role}})
}

async fn links(server: &TestServer, cohort: &str, who: &Account) -> (StatusCode, Value) {
    server
        .get_as(&format!("/api/cohorts/{cohort}/family-links"), who)
        .await
}

async fn confirm(server: &TestServer, cohort: &str, link: &str, who: &Account) -> StatusCode {
    let path = format!("/api/cohorts/{cohort}/family-links/{link}/confirm");
    server.call(Method::POST, &path, who, None).await.0
}

async fn paper(
    server: &TestServer,
    cohort: &str,
    user: &str,
    on: bool,
    who: &Account,
) -> StatusCode {
    let path = format!("/api/cohorts/{cohort}/members/{user}/consent");
    let body = json!({ "paper": on });
    server.call(Method::PUT, &path, who, Some(body)).await.0
}

/// The status of a public Open Badges URL, fetched by anyone.
async fn public(server: &TestServer, path: &str) -> StatusCode {
    server
        .client
        .get(server.url(path))
        .send()
        .await
        .unwrap()
        .status()
}

/// The learner's public profile path, from their badges answer.
async fn profile_path(server: &TestServer, learner: &Account) -> String {
    let badges = server.get_json("/api/badges", learner).await;
    let url = badges["profile_url"].as_str().unwrap();
    url[url.find("/ob/").unwrap()..].to_owned()
}

#[tokio::test]
async fn a_learner_linked_to_her_own_second_account_gets_nothing_until_an_educator_confirms() {
    let (_workspace, server, maria, cohort) = common::family_cohort_run_by_maria().await;
    let luna = server
        .join_aged(&cohort.join_code, "Luna", "under_14")
        .await;
    earn_a_badge(&server, &luna).await;
    let photo = uploaded(&server, &luna).await;
    // Luna again, as her own "parent".
    let fake = server.parent(&cohort.join_code, "Mamma di Luna").await;
    let code = server.family_code(&luna).await;
    let (status, family) = server.family_link(&fake, &code).await;
    assert_eq!(status, StatusCode::CREATED, "{family}");
    assert_eq!(family["children"][0]["state"], "pending");

    let badges = server.get_json("/api/badges", &luna).await;
    assert_eq!(
        (&badges["consent_needed"], &badges["assertions"]),
        (&json!(true), &json!([])),
        "a pending link is no consent"
    );
    assert_eq!(
        public(&server, &profile_path(&server, &luna).await).await,
        StatusCode::NOT_FOUND
    );
    let (status, _) = server
        .get_as(&format!("/api/family/{}/badges", luna.id), &fake)
        .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "no badges across a pending link"
    );
    let response = get_photo(&server, Some(&fake.token), photo).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND, "no photos either");
    // A family task confirmed by both sides of a pending link is not done.
    server
        .push(&luna.token, json!([family_task("child")]))
        .await;
    server
        .push(&fake.token, json!([family_task("parent")]))
        .await;
    let progress = server.get_json("/api/progress", &luna).await;
    assert_eq!(
        progress["activities"]["famiglia-esperimento"],
        "in_progress"
    );
    let (_, pulled) = server.pull(&fake.token, "since=0").await;
    assert!(
        pulled["events"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["user_id"] == fake.id.as_str()),
        "no events cross a pending link: {pulled}"
    );

    // The educator sees what gives it away: the same cohort, accounts made moments apart.
    let (status, listed) = links(&server, &cohort.id, &maria).await;
    assert_eq!(status, StatusCode::OK, "{listed}");
    let link = &listed["links"][0];
    assert_eq!(link["state"], "pending");
    assert_eq!(link["confirmed_at"], Value::Null);
    for (side, nickname, account) in [("parent", "Mamma di Luna", &fake), ("child", "Luna", &luna)]
    {
        assert_eq!(link[side]["id"], account.id.as_str());
        assert_eq!(link[side]["nickname"], nickname);
        assert_eq!(link[side]["cohort_id"], cohort.id.as_str());
        assert_eq!(link[side]["cohort_name"], "Famiglie");
        assert!(link[side]["created_at"].as_str().unwrap().starts_with("20"));
    }
    // She does not stand behind it: the link is gone for both.
    let path = format!(
        "/api/cohorts/{}/family-links/{}",
        cohort.id,
        link["id"].as_str().unwrap()
    );
    let (status, _) = server.call(Method::DELETE, &path, &maria, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(
        server.get_json("/api/family", &luna).await["parents"],
        json!([])
    );
    let (status, _) = server.call(Method::DELETE, &path, &maria, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    server.stop().await;
}

#[tokio::test]
async fn only_the_childs_educators_and_admins_see_and_confirm_a_link() {
    let workspace = Workspace::new();
    let server = TestServer::start(&workspace.args()).await;
    let maria = server.staff(Role::Educator, "Maria").await;
    let paolo = server.staff(Role::Educator, "Paolo").await;
    let childs = server.cohort("Seconda B", "famiglia", &["Maria"]).await;
    let parents = server.cohort("Genitori", "famiglia", &["Paolo"]).await;
    let sole = server
        .join_aged(&childs.join_code, "Sole", "under_14")
        .await;
    let classmate = server.join(&childs.join_code, "Mare").await;
    let papa = server.parent(&parents.join_code, "Papà di Sole").await;
    earn_a_badge(&server, &sole).await;
    let photo = uploaded(&server, &sole).await;
    server
        .push(&sole.token, json!([family_task("child")]))
        .await;
    let code = server.family_code(&sole).await;
    assert_eq!(
        server.family_link(&papa, &code).await.0,
        StatusCode::CREATED
    );

    // Links are listed by the child's cohort, so the parent's educator has none to confirm.
    let (_, of_parents) = links(&server, &parents.id, &paolo).await;
    assert_eq!(of_parents["links"], json!([]));
    let (_, listed) = links(&server, &childs.id, &maria).await;
    let link = listed["links"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        listed["links"][0]["parent"]["cohort_id"],
        parents.id.as_str()
    );
    assert_eq!(listed["links"][0]["parent"]["cohort_name"], "Genitori");
    for (who, account) in [
        ("child", &sole),
        ("parent", &papa),
        ("classmate", &classmate),
        ("another cohort's educator", &paolo),
    ] {
        assert_eq!(
            links(&server, &childs.id, account).await.0,
            StatusCode::NOT_FOUND,
            "{who}"
        );
        assert_eq!(
            confirm(&server, &childs.id, &link, account).await,
            StatusCode::NOT_FOUND,
            "{who}"
        );
        assert_eq!(
            paper(&server, &childs.id, &sole.id, true, account).await,
            StatusCode::NOT_FOUND,
            "{who}"
        );
    }
    assert_eq!(
        confirm(&server, &parents.id, &link, &paolo).await,
        StatusCode::NOT_FOUND,
        "not through a cohort the child is not in"
    );
    assert_eq!(
        confirm(&server, &childs.id, "no-such-link", &maria).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        server.get_json("/api/badges", &sole).await["consent_needed"],
        true
    );

    // Confirmed many times at once: one confirmation, one redelivery of the child's family task.
    let (_, before) = server.pull(&papa.token, "since=0").await;
    let path = format!("/api/cohorts/{}/family-links/{link}/confirm", childs.id);
    let mut attempts = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let request = server
            .client
            .post(server.url(&path))
            .bearer_auth(&maria.token);
        attempts.spawn(async move { request.send().await.unwrap().status() });
    }
    for status in attempts.join_all().await {
        assert_eq!(status, StatusCode::NO_CONTENT);
    }
    let (_, listed) = links(&server, &childs.id, &maria).await;
    assert_eq!(listed["links"][0]["state"], "confirmed");
    assert!(listed["links"][0]["confirmed_at"].is_string());
    let since = format!("since={}", before["cursor"]);
    let (_, after) = server.pull(&papa.token, &since).await;
    let from_sole: Vec<&Value> = after["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["user_id"] == sole.id.as_str())
        .collect();
    assert_eq!(from_sole.len(), 1, "delivered once: {after}");
    assert_eq!(
        server.get_json("/api/family", &papa).await["children"][0]["state"],
        "confirmed"
    );
    assert_eq!(
        server.get_json("/api/badges", &sole).await["consent_needed"],
        false
    );
    let response = get_photo(&server, Some(&papa.token), photo).await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "a confirmed parent sees the photo"
    );
    let (status, _) = server
        .get_as(&format!("/api/family/{}/badges", sole.id), &papa)
        .await;
    assert_eq!(status, StatusCode::OK);
    server.stop().await;
}

#[tokio::test]
async fn unlinking_withdraws_consent_until_it_is_given_again_or_on_paper() {
    let (_workspace, server, maria, cohort) = common::family_cohort_run_by_maria().await;
    let stella = server
        .join_aged(&cohort.join_code, "Stella", "under_14")
        .await;
    let mum = server.parent(&cohort.join_code, "Mamma di Stella").await;
    earn_a_badge(&server, &stella).await;
    server.confirmed_link(&mum, &stella).await;
    let badges = server.get_json("/api/badges", &stella).await;
    let assertion = badges["assertions"][0]["id"]
        .as_str()
        .expect("issued")
        .to_owned();
    let public_assertion = format!("/ob/assertions/{assertion}");
    let profile = profile_path(&server, &stella).await;
    assert_eq!(public(&server, &public_assertion).await, StatusCode::OK);
    assert_eq!(public(&server, &profile).await, StatusCode::OK);
    let roster = |detail: Value| {
        detail["roster"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["nickname"] == "Stella")
            .unwrap()["consent"]
            .clone()
    };
    let detail = server
        .get_json(&format!("/api/cohorts/{}", cohort.id), &maria)
        .await;
    assert_eq!(roster(detail), json!({"paper": false, "family": true}));

    let unlink = format!("/api/family/links/{}", stella.id);
    assert_eq!(
        server.call(Method::DELETE, &unlink, &mum, None).await.0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        public(&server, &public_assertion).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(public(&server, &profile).await, StatusCode::NOT_FOUND);
    assert_eq!(
        server.get_json("/api/badges", &stella).await["consent_needed"],
        true
    );
    let (status, body) = server
        .get_with(&format!("/api/badges/{assertion}/baked.svg"), &stella.token)
        .await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::FORBIDDEN, "consent_needed")
    );

    // Consent on paper, recorded by the educator, is consent too; taken back, it is not.
    assert_eq!(
        paper(&server, &cohort.id, &stella.id, true, &maria).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(public(&server, &public_assertion).await, StatusCode::OK);
    let detail = server
        .get_json(&format!("/api/cohorts/{}", cohort.id), &maria)
        .await;
    assert_eq!(roster(detail), json!({"paper": true, "family": false}));
    assert_eq!(
        paper(&server, &cohort.id, &stella.id, false, &maria).await,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        public(&server, &public_assertion).await,
        StatusCode::NOT_FOUND
    );

    // Only for a learner of the cohort, with a body of just the flag.
    assert_eq!(
        paper(&server, &cohort.id, &mum.id, true, &maria).await,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        paper(&server, &cohort.id, "nobody", true, &maria).await,
        StatusCode::NOT_FOUND
    );
    let path = format!("/api/cohorts/{}/members/{}/consent", cohort.id, stella.id);
    for body in [
        json!({"paper": "yes"}),
        json!({"paper": true, "by": "x"}),
        json!([]),
    ] {
        let (status, answer) = server.call(Method::PUT, &path, &maria, Some(body)).await;
        assert!(status.is_client_error(), "{status} {answer}");
    }
    assert_eq!(
        public(&server, &public_assertion).await,
        StatusCode::NOT_FOUND
    );
    server.stop().await;
}

#[tokio::test]
async fn a_removed_parent_gives_no_consent() {
    let (_workspace, server, maria, cohort) = common::family_cohort_run_by_maria().await;
    let luce = server
        .join_aged(&cohort.join_code, "Luce", "under_14")
        .await;
    let stranger = server.parent(&cohort.join_code, "Genitore").await;
    server.confirmed_link(&stranger, &luce).await;
    assert_eq!(
        server.get_json("/api/badges", &luce).await["consent_needed"],
        false
    );

    let path = format!("/api/cohorts/{}/members/{}", cohort.id, stranger.id);
    assert_eq!(
        server.call(Method::DELETE, &path, &maria, None).await.0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        server.get_json("/api/badges", &luce).await["consent_needed"],
        true
    );
    assert_eq!(
        server.get_json("/api/family", &luce).await["parents"],
        json!([])
    );
    server.stop().await;
}

#[tokio::test]
async fn a_removed_member_is_no_side_of_a_link_even_racing_the_removal() {
    let (_workspace, server, maria, cohort) = common::family_cohort_run_by_maria().await;
    let luna = server
        .join_aged(&cohort.join_code, "Luna", "under_14")
        .await;
    let removal = |who: &Account| format!("/api/cohorts/{}/members/{}", cohort.id, who.id);

    // A code made before the removal is of no use after it.
    let fake = server.parent(&cohort.join_code, "Mamma finta").await;
    let leftover = server.family_code(&fake).await;
    assert_eq!(
        server
            .call(Method::DELETE, &removal(&fake), &maria, None)
            .await
            .0,
        StatusCode::NO_CONTENT
    );
    let (status, body) = server.family_link(&luna, &leftover).await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::NOT_FOUND, "unknown_code")
    );

    // A link sent while the educator removes the parent: whichever comes first, no link is left.
    for round in 0..8 {
        let parent = server
            .parent(&cohort.join_code, &format!("Genitore {round}"))
            .await;
        let code = server.family_code(&luna).await;
        let link = server
            .client
            .post(server.url("/api/family/link"))
            .bearer_auth(&parent.token)
            .json(&json!({"code": code}));
        let remove = server
            .client
            .delete(server.url(&removal(&parent)))
            .bearer_auth(&maria.token);
        let (linked, removed) = tokio::join!(link.send(), remove.send());
        assert_eq!(removed.unwrap().status(), StatusCode::NO_CONTENT);
        assert!(linked.unwrap().status() != StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(
            server.get_json("/api/family", &luna).await["parents"],
            json!([]),
            "round {round}"
        );
        let (_, listed) = links(&server, &cohort.id, &maria).await;
        assert_eq!(listed["links"], json!([]), "round {round}");
    }
    server.stop().await;
}

#[tokio::test]
async fn consent_ends_with_a_removed_learner_and_follows_a_corrected_age() {
    let (_workspace, server, maria, cohort) = common::family_cohort_run_by_maria().await;
    let stella = server
        .join_aged(&cohort.join_code, "Stella", "under_14")
        .await;
    assert_eq!(
        paper(&server, &cohort.id, &stella.id, true, &maria).await,
        StatusCode::NO_CONTENT
    );
    earn_a_badge(&server, &stella).await;
    let issued = server.get_json("/api/badges", &stella).await;
    let stellas = format!(
        "/ob/assertions/{}",
        issued["assertions"][0]["id"].as_str().unwrap()
    );
    assert_eq!(public(&server, &stellas).await, StatusCode::OK);
    let path = format!("/api/cohorts/{}/members/{}", cohort.id, stella.id);
    assert_eq!(
        server.call(Method::DELETE, &path, &maria, None).await.0,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        public(&server, &stellas).await,
        StatusCode::NOT_FOUND,
        "paper consent left with her"
    );

    // Said 14 or more at joining, and a badge went public: the educator corrects the age, and the
    // badge waits for consent like any under-14's.
    let vega = server.join_aged(&cohort.join_code, "Vega", "14_plus").await;
    earn_a_badge(&server, &vega).await;
    let issued = server.get_json("/api/badges", &vega).await;
    let vegas = format!(
        "/ob/assertions/{}",
        issued["assertions"][0]["id"].as_str().unwrap()
    );
    assert_eq!(public(&server, &vegas).await, StatusCode::OK);
    let role = format!("/api/cohorts/{}/members/{}/role", cohort.id, vega.id);
    let under_14 = json!({"role": "learner", "age_band": "under_14"});
    let (status, member) = server
        .call(Method::PUT, &role, &maria, Some(under_14))
        .await;
    assert_eq!(status, StatusCode::OK, "{member}");
    assert_eq!(member["consent"], json!({"paper": false, "family": false}));
    assert_eq!(public(&server, &vegas).await, StatusCode::NOT_FOUND);
    let back = json!({"role": "learner", "age_band": "14_plus"});
    let (status, body) = server.call(Method::PUT, &role, &maria, Some(back)).await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::CONFLICT, "role_in_use"),
        "loosening stays refused"
    );
    server.stop().await;
}

/// Papà, linked to Luna and confirmed, and Sole, not linked yet, who confirmed a family task.
async fn papa_luna_and_sole() -> (Workspace, TestServer, Account, Account, Account) {
    let (workspace, server, _maria, cohort) = common::family_cohort_run_by_maria().await;
    let papa = server.parent(&cohort.join_code, "Papà").await;
    let luna = server
        .join_aged(&cohort.join_code, "Luna", "under_14")
        .await;
    let sole = server
        .join_aged(&cohort.join_code, "Sole", "under_14")
        .await;
    server.confirmed_link(&papa, &luna).await;
    let (status, _) = server
        .push(&sole.token, json!([family_task("child")]))
        .await;
    assert_eq!(status, StatusCode::OK);
    (workspace, server, papa, luna, sole)
}

/// Whose events `who` pulls after the cursor `seen` ended with.
async fn authors_after(server: &TestServer, who: &Account, seen: &Value) -> Vec<String> {
    let (_, after) = server
        .pull(&who.token, &format!("since={}", seen["cursor"]))
        .await;
    let events = after["events"].as_array().unwrap();
    events
        .iter()
        .map(|e| e["user_id"].as_str().unwrap().to_owned())
        .collect()
}

/// A sibling's erasure takes the newest events away; a confirmation redelivered afterwards still
/// goes past every cursor a device was given, not into the erased events' place.
#[tokio::test]
async fn confirmations_redelivered_after_the_newest_events_were_erased_reach_the_parent() {
    let (_workspace, server, papa, luna, sole) = papa_luna_and_sole().await;
    let (status, _) = server
        .push(&luna.token, json!([family_task("child")]))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, seen) = server.pull(&papa.token, "since=0").await;
    assert_eq!(seen["events"].as_array().unwrap().len(), 1, "{seen}");

    let body = json!({ "secret": common::SECRET });
    let path = format!("/api/family/{}", luna.id);
    let (status, answer) = server.call(Method::DELETE, &path, &papa, Some(body)).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{answer}");
    server.confirmed_link(&papa, &sole).await;

    assert_eq!(
        authors_after(&server, &papa, &seen).await,
        [sole.id.as_str()]
    );
    server.stop().await;
}

/// A learner who joined before age bands (migration 0011) has none stored: taken as under 14, their
/// badges wait for consent, and the roster says so, on both databases.
#[tokio::test]
async fn a_learner_without_an_age_band_is_taken_as_under_14() {
    let (_workspace, server, maria, cohort) = common::family_cohort_run_by_maria().await;
    let old = server.join(&cohort.join_code, "Veterano").await;
    let db = server.store().await;
    let sql = "UPDATE users SET age_band = NULL WHERE id = $1";
    officina_server::on!(&db, c => sqlx::query(sql).bind(&old.id).execute(c).await.map(drop))
        .unwrap();
    earn_a_badge(&server, &old).await;

    let badges = server.get_json("/api/badges", &old).await;
    assert_eq!(badges["consent_needed"], true, "{badges}");
    assert_eq!(
        badges["assertions"],
        json!([]),
        "nothing issued without consent"
    );
    let detail = server
        .get_json(&format!("/api/cohorts/{}", cohort.id), &maria)
        .await;
    let roster = detail["roster"].as_array().unwrap();
    let veteran = roster.iter().find(|m| m["id"] == old.id.as_str()).unwrap();
    assert_eq!(
        veteran["consent"],
        json!({"paper": false, "family": false}),
        "{veteran}"
    );
    server.stop().await;
}

/// A confirmation moved to the end of the log by a link, pulled, then erased with its child: the
/// next event pushed still gets a seq past the parent's cursor (SQLite's AUTOINCREMENT mark moves
/// on INSERT only, so the move moves it too).
#[tokio::test]
async fn an_event_pushed_after_a_moved_one_was_erased_lands_past_the_cursor() {
    let (_workspace, server, papa, luna, sole) = papa_luna_and_sole().await;
    server.confirmed_link(&papa, &sole).await;
    let (_, seen) = server.pull(&papa.token, "since=0").await;
    assert_eq!(seen["events"][0]["user_id"], sole.id.as_str(), "{seen}");

    let body = json!({ "secret": common::SECRET });
    let path = format!("/api/family/{}", sole.id);
    let (status, answer) = server.call(Method::DELETE, &path, &papa, Some(body)).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{answer}");
    let (status, _) = server
        .push(&luna.token, json!([family_task("child")]))
        .await;
    assert_eq!(status, StatusCode::OK);

    assert_eq!(
        authors_after(&server, &papa, &seen).await,
        [luna.id.as_str()]
    );
    server.stop().await;
}
