//! The release server as a child process on loopback, and the accounts the bench pushes as.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::Duration;

pub struct Server {
    bin: PathBuf,
    pub db: PathBuf,
    pub base: String,
    child: Mutex<Child>,
}

impl Server {
    /// Starts `bin` on `db` (created when missing) with `content` and a stub `dist`, and waits
    /// (at most 30 s) until it answers.
    pub async fn start(bin: &Path, work: &Path, content: &Path, port: u16) -> Self {
        let dist = work.join("dist");
        std::fs::create_dir_all(&dist).expect("dist");
        std::fs::write(
            dist.join("index.html"),
            "<!doctype html><title>bench</title>",
        )
        .expect("index.html");
        let db = work.join("officina.db");
        let addr = format!("127.0.0.1:{port}");
        let child = Command::new(bin)
            .args(["serve", "--addr", &addr, "--db"])
            .arg(&db)
            .arg("--dist")
            .arg(&dist)
            .arg("--content")
            .arg(content)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("server started");
        let server = Self {
            bin: bin.into(),
            db,
            base: format!("http://{addr}"),
            child: Mutex::new(child),
        };
        let client = reqwest::Client::new();
        for _ in 0..300 {
            let health = client
                .get(format!("{}/api/health", server.base))
                .send()
                .await;
            if health.is_ok_and(|r| r.status().is_success()) {
                return server;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the server did not start in 30 s");
    }

    /// SIGKILL: no shutdown, no checkpoint, as a crash.
    pub fn kill(&self) {
        let mut child = self.child.lock().unwrap();
        child.kill().ok();
        child.wait().ok();
    }

    /// Runs an admin command of the binary on the same database; its last line of output.
    pub fn command(&self, args: &[&str], stdin: &str) -> String {
        let mut child = Command::new(&self.bin)
            .args(args)
            .arg("--db")
            .arg(&self.db)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("command");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        let out = child.wait_with_output().expect("command output");
        assert!(out.status.success(), "{args:?} failed");
        let text = String::from_utf8_lossy(&out.stdout);
        text.lines().last().unwrap_or_default().trim().to_owned()
    }

    /// A cohort on space-camp and `count` learners in it (see [`age_band`]): their bearer tokens.
    pub async fn learners(&self, count: usize) -> Vec<String> {
        let user = ["user", "create", "--role", "educator", "--name", "Edu"];
        self.command(&user, "bench-password-1\n");
        let cohort = [
            "cohort",
            "create",
            "--name",
            "Bench",
            "--path",
            "space-camp",
        ];
        let code = self.command(&[&cohort[..], &["--educator", "Edu"]].concat(), "");
        let client = reqwest::Client::new();
        let mut tokens = Vec::new();
        for n in 0..count {
            let body = serde_json::json!({
                "code": code, "nickname": format!("Bench{n}"), "secret": "bench-secret",
                "age_band": age_band()
            });
            let answer: serde_json::Value = client
                .post(format!("{}/api/join", self.base))
                .json(&body)
                .send()
                .await
                .and_then(|r| r.error_for_status())
                .expect("join")
                .json()
                .await
                .expect("join answer");
            tokens.push(answer["token"].as_str().expect("token").to_owned());
        }
        tokens
    }
}

/// `14_plus` unless `BENCH_SYNC_AGE_BAND` says otherwise: old enough for badges without a
/// parent's consent, so every push issues them; `under_14` (no consent yet) leaves badges out.
fn age_band() -> String {
    std::env::var("BENCH_SYNC_AGE_BAND").unwrap_or_else(|_| "14_plus".into())
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}
