//! The `officina-server` binary as an operator uses it.

mod common;

use common::{SECRET, TestServer, Workspace, db_arg, fixture_content};
use officina_server::auth::join_codes::ALPHABET;
use officina_server::auth::passwords;
use officina_server::auth::rate_limit::MAX_ACCOUNTS_PER_ADDRESS;
use officina_server::db::Target;
use officina_server::gate::{self, Gate};
use officina_server::{db, store};
use serde_json::{Value, json};
use sqlx::Connection;
use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn binary() -> Command {
    Command::new(env!("CARGO_BIN_EXE_officina-server"))
}

/// `officina-server serve` on `addr` with the workspace's database, dist and the fixture content,
/// its log uncoloured on standard output (callers add what their test needs, then spawn).
fn serve(workspace: &Workspace, addr: &str) -> Command {
    let mut command = binary();
    command
        .arg("serve")
        .env("OFFICINA_ADDR", addr)
        .env("OFFICINA_DB", db_arg(&workspace.target))
        .env("OFFICINA_DIST", workspace.dir.path().join("dist"))
        .env("OFFICINA_CONTENT", fixture_content())
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped());
    if let Target::Postgres(_) = workspace.target {
        // PostgreSQL has no folder to keep them beside.
        command.env("OFFICINA_PHOTOS", workspace.dir.path().join("data/photos"));
    }
    command
}

fn broken_content() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/broken")
}

#[test]
fn content_check_accepts_valid_content() {
    let output = binary()
        .args(["content", "check"])
        .arg(fixture_content())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("contenuti validi"));
}

#[test]
fn content_check_reports_every_problem_with_file_and_line() {
    let output = binary()
        .args(["content", "check"])
        .arg(broken_content())
        .output()
        .unwrap();
    assert!(!output.status.success());
    let report = String::from_utf8_lossy(&output.stderr);
    for expected in [
        "rotto/path.toml:8: dati non validi: campo sconosciuto `colore`",
        "senza-programma/path.toml:1: dati non validi: manca il campo `programme`",
        "programma-ignoto/path.toml:4: dati non validi: valore sconosciuto `campo-estivo`; valori ammessi: `space-camp`, `steamcamp`, `steamcamp-family`, `in-community`",
        "rotto/01-mod/01-senza-intestazione.md:1: manca l'intestazione",
        "rotto/01-mod/02-toml-rotto.md:5: dati non validi: tipo sbagliato",
        "rotto/01-mod/03-tipo-sconosciuto.md:3: dati non validi: valore sconosciuto `gioco`",
        "rotto/01-mod/module.toml:1: id di modulo duplicato: «doppio»",
        "rotto/appunti.toml: file non riconosciuto",
        "badges.toml:5: immagine mancante: «images/nessuna.svg»",
        "badges.toml:12: immagine mancante: «images/nessuna.svg»",
        "badges.toml:2: badge «doppio»: l'attività «fantasma» non esiste",
        "badges.toml:9: badge «badge-quiz»: «ciclo-a» non è un quiz",
        "ciclo/path.toml:6: immagine mancante: «images/copertina-mancante.svg»",
        "ciclo/01-m/01-a.md:5: i prerequisiti formano un ciclo: ciclo-a → ciclo-b → ciclo-a",
        "ciclo/01-m/02-b.md:5: il prerequisito «inesistente» non è un'attività del programma",
        "ciclo/01-m/03-quiz.md:6: il campo `steps` non si usa in un quiz",
        "ciclo/01-m/03-quiz.md:8: domanda n. 1: una domanda `single` ha esattamente un'opzione giusta",
        "ciclo/01-m/04-sfida.md:2: manca il campo `steps`, obbligatorio per una sfida",
        "ciclo/01-m/07-vuoti.md:5: l'elenco `evidence` è vuoto: serve almeno un elemento per una sfida",
        "ciclo/01-m/07-vuoti.md:7: il campo `reflection` non si usa in una sfida",
        "ciclo/01-m/08-quiz-vuoto.md:6: l'elenco `questions` è vuoto: serve almeno un elemento per un quiz",
        "ciclo/01-m/05-titolo-vuoto.md:4: dati non validi: manca il testo in italiano",
        "ciclo/01-m/06-immagine.md:8: immagine mancante: «images/nulla.png»",
        "self-assessment.toml:2: l'elenco `statements` è vuoto",
        "self-assessment.toml:3: `scale` ha 3 etichette: ne servono esattamente 4",
    ] {
        assert!(
            report.contains(expected),
            "missing «{expected}» in:\n{report}"
        );
    }
    assert_eq!(
        report.matches("i prerequisiti formano un ciclo").count(),
        1,
        "one cycle, reported once"
    );
    assert!(report.contains("25 problemi nei contenuti"), "{report}");
}

#[tokio::test]
async fn serve_refuses_broken_content_and_creates_no_database() {
    let workspace = Workspace::new();
    let output = binary()
        .args(["serve", "--addr", "127.0.0.1:0", "--content"])
        .arg(broken_content())
        .arg("--dist")
        .arg(workspace.dir.path().join("dist"))
        .arg("--db")
        .arg(db_arg(&workspace.target))
        .args([
            "--photos-dir".as_ref(),
            workspace.dir.path().join("data/photos").as_os_str(),
        ])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("problemi nei contenuti"));
    match &workspace.target {
        Target::Sqlite(db) => assert!(!db.exists(), "nothing half-loaded"),
        Target::Postgres(url) => {
            // The database is made with the workspace: nothing half-loaded means no table in it.
            let mut db = sqlx::PgConnection::connect(url).await.unwrap();
            let tables: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()",
            )
            .fetch_one(&mut db)
            .await
            .unwrap();
            assert_eq!(tables, 0, "nothing half-loaded");
        }
    }
}

#[test]
fn serve_logs_each_request_and_stops_gracefully_on_sigterm() {
    let workspace = Workspace::new();
    let port = free_port();
    let mut child = serve(&workspace, &format!("127.0.0.1:{port}"))
        .env_remove("RUST_LOG")
        .spawn()
        .unwrap();
    wait_for_health(port);
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = child.wait().unwrap();
    assert!(exit.success(), "graceful exit, got {exit}");
    let log: Vec<String> = BufReader::new(child.stdout.take().unwrap())
        .lines()
        .map_while(Result::ok)
        .collect();
    let log = log.join("\n");
    assert!(
        log.contains("GET") && log.contains("/api/health") && log.contains("status=200"),
        "{log}"
    );
    assert!(log.contains("Officina si è fermata"), "{log}");
    assert!(
        !log.contains("loopback"),
        "no warning on a loopback server: {log}"
    );
}

#[tokio::test]
async fn the_public_url_follows_the_address_with_a_warning_when_only_this_machine_reaches_it() {
    let workspace = Workspace::new();
    let port = free_port();
    let child = serve(&workspace, &format!("0.0.0.0:{port}"))
        .env_remove("RUST_LOG")
        .env_remove("OFFICINA_PUBLIC_URL")
        .spawn()
        .unwrap();
    wait_for_health(port);
    let issuer: Value = reqwest::get(format!("http://127.0.0.1:{port}/ob/issuer"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    assert_eq!(
        issuer["url"],
        base.as_str(),
        "0.0.0.0 becomes the loopback, same port"
    );
    assert_eq!(issuer["id"], format!("{base}/ob/issuer"));
    let log = stop(child);
    let warning = format!(
        "WARN the public URL {base} is a loopback address while the server listens on 0.0.0.0:{port}"
    );
    assert!(log.contains(&warning), "{log}");
}

#[tokio::test]
async fn trusted_proxies_come_from_the_environment_and_anyone_elses_forwarding_is_ignored() {
    let workspace = Workspace::new();
    let code = create_cohort(db_arg(&workspace.target));
    let port = free_port();
    let child = serve(&workspace, &format!("127.0.0.1:{port}"))
        .env("OFFICINA_TRUSTED_PROXIES", "10.0.0.0/8, 127.0.0.1")
        .env_remove("RUST_LOG")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_health(port);
    let login = format!("http://127.0.0.1:{port}/api/login");
    let join = format!("http://127.0.0.1:{port}/api/join");
    let proxy = reqwest::Client::new();
    let astro = json!({"code": code, "nickname": "Astro", "secret": SECRET});
    assert_eq!(
        proxy
            .post(&join)
            .json(&astro)
            .send()
            .await
            .unwrap()
            .status(),
        201
    );
    let as_client = |client: &'static str, body: &Value| {
        proxy
            .post(&login)
            .header("x-forwarded-for", client)
            .json(body)
            .send()
    };
    for n in 0..MAX_ACCOUNTS_PER_ADDRESS {
        let guess = json!({"code": code, "nickname": format!("Ospite{n}"), "secret": "000000"});
        let status = as_client("203.0.113.5", &guess).await.unwrap().status();
        assert_eq!(status, 401);
    }
    let status = as_client("203.0.113.5", &astro).await.unwrap().status();
    assert_eq!(status, 429, "the spraying client behind the proxy");
    let status = as_client("203.0.113.6", &astro).await.unwrap().status();
    assert_eq!(status, 200, "another client behind the same proxy");

    let elsewhere = reqwest::Client::builder()
        .local_address(std::net::IpAddr::from([127, 0, 0, 2]))
        .build()
        .unwrap();
    for _ in 0..2 {
        let request = elsewhere
            .post(&login)
            .header("x-forwarded-for", "203.0.113.6")
            .json(&astro);
        assert_eq!(request.send().await.unwrap().status(), 200);
    }
    let log = stop(child);
    assert_eq!(
        log.matches("not a trusted proxy").count(),
        1,
        "said once: {log}"
    );
}

/// Runs the binary with `stdin` as its standard input.
fn run_with_input(args: &[&str], db: impl AsRef<OsStr>, stdin: &str) -> std::process::Output {
    let mut child = binary()
        .args(args)
        .arg("--db")
        .arg(db)
        .env("OFFICINA_CONTENT", fixture_content())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn create_cohort(db: impl AsRef<OsStr>) -> String {
    let output = run_with_input(
        &["cohort", "create", "--name", "3A Lecce", "--path", "demo"],
        db,
        "",
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    stdout.lines().last().unwrap().to_owned()
}

#[tokio::test]
async fn user_create_reads_the_password_from_stdin() {
    let workspace = Workspace::new();
    let database = db_arg(&workspace.target);
    let password = "cavallo batteria graffetta";
    let args = [
        "user",
        "create",
        "--role",
        "educator",
        "--name",
        "Maria Rossi",
    ];
    let output = run_with_input(&args, &database, &format!("{password}\n"));
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        said.contains("Maria Rossi") && !said.contains(password),
        "{said}"
    );

    let db = db::open_db(&workspace.target).await.unwrap();
    let stored = store::accounts::staff(&db, "Maria Rossi")
        .await
        .unwrap()
        .expect("the account exists");
    assert_eq!(stored.user.role, officina_core::account::Role::Educator);
    let turn = Gate::new("test", 1, gate::WAIT).enter().await.unwrap();
    assert!(
        passwords::verify(turn, password.into(), Some(stored.secret_hash.clone()))
            .await
            .unwrap()
    );
    db.close().await;

    let again = run_with_input(&args, &database, "un'altra password\n");
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("Esiste già un account"));
    let short = run_with_input(
        &["user", "create", "--role", "admin", "--name", "Capo"],
        &database,
        "corta\n",
    );
    assert!(!short.status.success());
    assert!(
        String::from_utf8_lossy(&short.stderr)
            .contains("La password deve avere da 10 a 128 caratteri")
    );
    let learner = run_with_input(
        &["user", "create", "--role", "learner", "--name", "Astro"],
        &database,
        "password lunga\n",
    );
    assert!(!learner.status.success(), "learners join with a code");
}

#[tokio::test]
async fn user_reset_password_gives_the_last_admin_a_new_password() {
    let workspace = Workspace::new();
    let database = db_arg(&workspace.target);
    let create = ["user", "create", "--role", "admin", "--name", "Capo"];
    let output = run_with_input(&create, &database, "password dimenticata\n");
    assert!(output.status.success());
    let reset = ["user", "reset-password", "--name", "Capo"];
    let output = run_with_input(&reset, &database, "password nuova di zecca\n");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(said.contains("Capo") && !said.contains("zecca"), "{said}");

    let db = db::open_db(&workspace.target).await.unwrap();
    let stored = store::accounts::staff(&db, "Capo").await.unwrap().unwrap();
    for (password, right) in [
        ("password nuova di zecca", true),
        ("password dimenticata", false),
    ] {
        let turn = Gate::new("test", 1, gate::WAIT).enter().await.unwrap();
        let verified = passwords::verify(turn, password.into(), Some(stored.secret_hash.clone()))
            .await
            .unwrap();
        assert_eq!(verified, right, "{password}");
    }
    db.close().await;
    for (args, stdin, why) in [
        (
            ["user", "reset-password", "--name", "Nessuno"],
            "password lunga abbastanza\n",
            "nessun educatore o amministratore",
        ),
        (reset, "corta\n", "La password deve avere da 10"),
    ] {
        let output = run_with_input(&args, &database, stdin);
        assert!(!output.status.success());
        assert!(
            String::from_utf8_lossy(&output.stderr).contains(why),
            "{why}"
        );
    }
}

#[tokio::test]
async fn cohort_create_prints_a_join_code_that_works() {
    let workspace = Workspace::new();
    let args = workspace.args();
    let code = create_cohort(db_arg(&args.db.db));
    assert!(code.len() >= 8, "{code}");
    assert!(code.bytes().all(|b| ALPHABET.contains(&b)), "{code}");
    assert!(!code.contains(['0', 'O', '1', 'I', 'L']), "{code}");
    assert_ne!(
        create_cohort(db_arg(&args.db.db)),
        code,
        "each cohort its own code"
    );

    let unknown = run_with_input(
        &[
            "cohort", "create", "--name", "Gruppo X", "--path", "nessuno",
        ],
        db_arg(&args.db.db),
        "",
    );
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("Il percorso «nessuno» non esiste"));

    let server = TestServer::start(&args).await;
    server.join(&code, "Astro").await;
    server.stop().await;
}

#[tokio::test]
async fn no_secret_token_or_join_code_reaches_the_log() {
    let workspace = Workspace::new();
    let code = create_cohort(db_arg(&workspace.target));
    let port = free_port();
    let child = serve(&workspace, &format!("127.0.0.1:{port}"))
        .env("RUST_LOG", "trace")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_health(port);
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let joined: Value = client
        .post(format!("{base}/api/join"))
        .json(&json!({"code": code, "nickname": "Astro", "secret": SECRET}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = joined["token"].as_str().unwrap().to_owned();
    let wrong = json!({"code": code, "nickname": "Astro", "secret": "segreto-sbagliato"});
    assert_eq!(
        client
            .post(format!("{base}/api/login"))
            .json(&wrong)
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
    let me = client
        .get(format!("{base}/api/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);
    let pull = client
        .get(format!("{base}/api/sync/pull?since=0"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(pull.status(), 200);
    // The QR link carries the join code in its query, and an API URL may carry one too.
    for url in [
        format!("{base}/?codice={code}"),
        format!("{base}/api/sync/pull?since=0&codice={code}"),
    ] {
        let answer = client.get(url).bearer_auth(&token).send().await.unwrap();
        assert!(answer.status().as_u16() < 500);
    }
    let logout = client
        .post(format!("{base}/api/logout"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), 204);

    let log = stop(child);
    assert!(
        log.contains("/api/join") && log.contains("/api/logout") && log.contains(r#"path="/""#),
        "{log}"
    );
    for secret in [SECRET, "segreto-sbagliato", &token, &token[..12], &code] {
        assert!(!log.contains(secret), "«{secret}» is in the log:\n{log}");
    }
}

/// Stops a running server gracefully (SIGTERM) and returns what it wrote, stdout then stderr.
fn stop(mut child: std::process::Child) -> String {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    assert!(child.wait().unwrap().success());
    let mut log = String::new();
    if let Some(mut out) = child.stdout.take() {
        out.read_to_string(&mut log).unwrap();
    }
    if let Some(mut err) = child.stderr.take() {
        err.read_to_string(&mut log).unwrap();
    }
    log
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn wait_for_health(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            use std::io::{Read, Write};
            stream
                .write_all(b"GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .unwrap();
            let mut answer = String::new();
            let _ = stream.read_to_string(&mut answer);
            if answer.starts_with("HTTP/1.1 200") {
                return;
            }
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("the server did not answer in time");
}
