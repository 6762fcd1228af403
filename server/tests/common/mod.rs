//! A real server on a free loopback port, with a temporary database and a fixture app.
// Each test file uses a different part of these helpers.
#![allow(dead_code)]

use officina_server::cli::{DbArgs, ServeArgs};
use officina_server::server::Server;
use std::path::{Path, PathBuf};
use tempfile::TempDir;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub const INLINE_SCRIPT: &str = "import init from '/app-0123456789abcdef.js'; init();";

pub fn fixture_content() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/content")
}

/// A temporary folder with a database path and a small built app.
pub struct Workspace {
    pub dir: TempDir,
}

impl Workspace {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let dist = dir.path().join("dist");
        std::fs::create_dir(&dist).unwrap();
        let index = format!("<!doctype html><html lang=\"it\"><title>Officina</title><script type=\"module\">{INLINE_SCRIPT}</script></html>");
        std::fs::write(dist.join("index.html"), index).unwrap();
        std::fs::write(dist.join("app-0123456789abcdef_bg.wasm"), b"\0asm".repeat(4096)).unwrap();
        Self { dir }
    }

    pub fn args(&self) -> ServeArgs {
        ServeArgs {
            addr: "127.0.0.1:0".parse().unwrap(),
            db: DbArgs { db: self.dir.path().join("data/officina.db") },
            dist: self.dir.path().join("dist"),
            content: fixture_content(),
        }
    }
}

pub struct TestServer {
    pub base: String,
    pub client: reqwest::Client,
    stop: oneshot::Sender<()>,
    task: JoinHandle<std::io::Result<()>>,
}

impl TestServer {
    pub async fn start(args: &ServeArgs) -> Self {
        let server = Server::prepare(args).await.expect("server starts");
        let base = format!("http://{}", server.local_addr().unwrap());
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(server.serve(async move {
            let _ = stopped.await;
        }));
        Self { base, client: reqwest::Client::new(), stop, task }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Stops gracefully and waits until the server has closed.
    pub async fn stop(self) {
        let _ = self.stop.send(());
        self.task.await.expect("server task").expect("server ran");
    }
}
