//! The `officina-server` binary as an operator uses it.

mod common;

use common::{Workspace, fixture_content};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn binary() -> Command {
    Command::new(env!("CARGO_BIN_EXE_officina-server"))
}

fn broken_content() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/broken")
}

#[test]
fn content_check_accepts_valid_content() {
    let output = binary().args(["content", "check"]).arg(fixture_content()).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stdout).contains("contenuti validi"));
}

#[test]
fn content_check_reports_every_problem_with_file_and_line() {
    let output = binary().args(["content", "check"]).arg(broken_content()).output().unwrap();
    assert!(!output.status.success());
    let report = String::from_utf8_lossy(&output.stderr);
    for expected in [
        "rotto/path.toml:7: dati non validi: campo sconosciuto `colore`",
        "rotto/01-mod/01-senza-intestazione.md:1: manca l'intestazione",
        "rotto/01-mod/02-toml-rotto.md:5: dati non validi: tipo sbagliato",
        "rotto/01-mod/03-tipo-sconosciuto.md:3: dati non validi: valore sconosciuto `gioco`",
        "rotto/01-mod/module.toml:1: id di modulo duplicato: «doppio»",
        "rotto/appunti.toml: file non riconosciuto",
        "badges.toml:5: immagine mancante: «images/nessuna.svg»",
        "badges.toml:12: immagine mancante: «images/nessuna.svg»",
        "badges.toml:2: badge «doppio»: l'attività «fantasma» non esiste",
        "badges.toml:9: badge «badge-quiz»: «ciclo-a» non è un quiz",
        "ciclo/path.toml:5: immagine mancante: «images/copertina-mancante.svg»",
        "ciclo/01-m/01-a.md:5: i prerequisiti formano un ciclo: ciclo-a → ciclo-b → ciclo-a",
        "ciclo/01-m/02-b.md:5: il prerequisito «inesistente» non è un'attività del programma",
        "ciclo/01-m/03-quiz.md:6: il campo `steps` non si usa in un quiz",
        "ciclo/01-m/03-quiz.md:8: domanda n. 1: una domanda `single` ha esattamente un'opzione giusta",
        "ciclo/01-m/04-sfida.md:2: manca il campo `steps`, obbligatorio per una sfida",
        "ciclo/01-m/05-titolo-vuoto.md:4: dati non validi: manca il testo in italiano",
        "ciclo/01-m/06-immagine.md:8: immagine mancante: «images/nulla.png»",
    ] {
        assert!(report.contains(expected), "missing «{expected}» in:\n{report}");
    }
    assert_eq!(report.matches("i prerequisiti formano un ciclo").count(), 1, "one cycle, reported once");
    assert!(report.contains("18 problemi nei contenuti"), "{report}");
}

#[test]
fn serve_refuses_broken_content_and_creates_no_database() {
    let workspace = Workspace::new();
    let db = workspace.dir.path().join("data/officina.db");
    let output = binary()
        .args(["serve", "--addr", "127.0.0.1:0", "--content"])
        .arg(broken_content())
        .arg("--dist")
        .arg(workspace.dir.path().join("dist"))
        .arg("--db")
        .arg(&db)
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("problemi nei contenuti"));
    assert!(!db.exists(), "nothing half-loaded");
}

#[test]
fn serve_logs_each_request_and_stops_gracefully_on_sigterm() {
    let workspace = Workspace::new();
    let port = free_port();
    let mut child = binary()
        .arg("serve")
        .env("OFFICINA_ADDR", format!("127.0.0.1:{port}"))
        .env("OFFICINA_DB", workspace.dir.path().join("officina.db"))
        .env("OFFICINA_DIST", workspace.dir.path().join("dist"))
        .env("OFFICINA_CONTENT", fixture_content())
        .env("NO_COLOR", "1")
        .env_remove("RUST_LOG")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for_health(port);
    let status = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(status.success());
    let exit = child.wait().unwrap();
    assert!(exit.success(), "graceful exit, got {exit}");
    let log: Vec<String> = BufReader::new(child.stdout.take().unwrap()).lines().map_while(Result::ok).collect();
    let log = log.join("\n");
    assert!(log.contains("GET") && log.contains("/api/health") && log.contains("status=200"), "{log}");
    assert!(log.contains("Officina si è fermata"), "{log}");
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn wait_for_health(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) {
            use std::io::{Read, Write};
            stream.write_all(b"GET /api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
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
