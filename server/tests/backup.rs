//! `officina-server backup` and `restore`: a backup of a server taken while it takes pushes
//! restores to exactly the state it copied; a damaged backup or an occupied target is refused.

mod common;

use common::photos::{get_photo, upload};
use common::{Account, TestServer, Workspace, completed};
use officina_core::sync::MAX_PULL_LIMIT;
use officina_server::backup::manifest::{DATABASE, FileEntry, MANIFEST, Manifest, PHOTOS};
use officina_server::backup::{self, Refusal};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use uuid::Uuid;

/// A push loop's upper bound: the pushers stop a few rounds after the backup, well before this.
const MAX_ROUNDS: usize = 400;
/// Rounds each pusher goes on for once the backup is complete, so some events come after it.
const ROUNDS_AFTER: usize = 3;

/// A small JPEG of one colour, different for each `shade`, so each upload is its own file.
fn jpeg(shade: u8) -> Vec<u8> {
    let image = image::RgbImage::from_pixel(40, 30, image::Rgb([shade, 120, 255 - shade]));
    let mut bytes = Vec::new();
    image::codecs::jpeg::JpegEncoder::new(&mut bytes)
        .encode_image(&image)
        .unwrap();
    bytes
}

/// Uploads `photo` whole as `who`; its id.
async fn upload_photo(server: &TestServer, who: &Account, photo: &[u8]) -> Uuid {
    let id = Uuid::new_v4();
    let (status, body) = upload(server, &who.token, id, photo).await;
    assert_eq!(status, reqwest::StatusCode::OK, "{body}");
    assert_eq!(body["done"], true);
    id
}

/// Every event `who` may read, in `seq` order, page after page.
async fn all_events(server: &TestServer, who: &Account) -> Vec<Value> {
    let mut events = Vec::new();
    let mut since = 0;
    for _ in 0..100 {
        let query = format!("since={since}&limit={MAX_PULL_LIMIT}");
        let (status, page) = server.pull(&who.token, &query).await;
        assert_eq!(status, reqwest::StatusCode::OK, "{page}");
        events.extend(page["events"].as_array().unwrap().iter().cloned());
        since = page["cursor"].as_i64().unwrap();
        if page["more"] == false {
            return events;
        }
    }
    panic!("more than 100 pages of events");
}

/// The bytes `GET /api/photos/{id}` answers `who`, or `None` when it is not found.
async fn photo_bytes(server: &TestServer, who: &Account, id: Uuid) -> Option<Vec<u8>> {
    let response = get_photo(server, Some(&who.token), id).await;
    match response.status() {
        reqwest::StatusCode::OK => Some(response.bytes().await.unwrap().to_vec()),
        reqwest::StatusCode::NOT_FOUND => None,
        other => panic!("photo {id}: {other}"),
    }
}

fn read_manifest(folder: &Path) -> Manifest {
    serde_json::from_slice(&std::fs::read(folder.join(MANIFEST)).unwrap()).unwrap()
}

/// The workspace's server arguments on another database and photos folder.
fn serving(workspace: &Workspace, db: &Path, photos: &Path) -> officina_server::cli::ServeArgs {
    let mut args = workspace.args();
    args.db.db = officina_server::db::Target::Sqlite(db.to_path_buf());
    args.photos.photos_dir = Some(photos.to_path_buf());
    args
}

/// Pushes batches of two events as `who` until `done` has been set for [`ROUNDS_AFTER`] rounds;
/// the ids of each batch, in order.
async fn push_until_done(
    server: Arc<TestServer>,
    who: Account,
    done: Arc<AtomicBool>,
    rounds: Arc<AtomicUsize>,
) -> Vec<[Uuid; 2]> {
    let mut batches = Vec::new();
    let mut after = 0;
    for _ in 0..MAX_ROUNDS {
        let ids = [Uuid::new_v4(), Uuid::new_v4()];
        let events = json!([
            completed(ids[0], "demo-lezione"),
            completed(ids[1], "demo-lezione")
        ]);
        let (status, body) = server.push(&who.token, events).await;
        assert_eq!(status, reqwest::StatusCode::OK, "{body}");
        assert_eq!(common::statuses(&body), ["accepted", "accepted"]);
        batches.push(ids);
        rounds.fetch_add(1, Ordering::SeqCst);
        if done.load(Ordering::SeqCst) {
            after += 1;
            if after == ROUNDS_AFTER {
                return batches;
            }
        }
    }
    panic!("the backup did not end within {MAX_ROUNDS} rounds");
}

/// Takes a backup of `server`'s data into `to` once the pushers have done a few rounds; the
/// backup's folder.
async fn backup_during_pushes(
    server: &TestServer,
    to: &Path,
    done: &AtomicBool,
    rounds: &AtomicUsize,
) -> PathBuf {
    for _ in 0..1000 {
        if rounds.load(Ordering::SeqCst) >= 6 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    let folder = backup::take(server.db(), &photos_of(server), to, &mut |_| {})
        .await
        .expect("backup taken");
    done.store(true, Ordering::SeqCst);
    folder
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_during_pushes_restores_event_by_event_and_photo_by_photo() {
    // SQLite whatever OFFICINA_TEST_DB says: backup takes the file (PostgreSQL's is pg_dump's job).
    let workspace = Workspace::sqlite();
    let server = Arc::new(TestServer::start(&workspace.args()).await);
    let code = server.new_cohort().await;
    let mut learners = Vec::new();
    for name in ["Astro", "Luna", "Sole"] {
        learners.push(server.join(&code, name).await);
    }
    let mut photos_before = Vec::new();
    for (shade, learner) in (10u8..).step_by(40).zip(&learners) {
        let id = upload_photo(&server, learner, &jpeg(shade)).await;
        photos_before.push((learner.clone(), id));
    }

    let (done, rounds) = (
        Arc::new(AtomicBool::new(false)),
        Arc::new(AtomicUsize::new(0)),
    );
    let pushers: Vec<_> = learners
        .iter()
        .map(|who| {
            let task = push_until_done(server.clone(), who.clone(), done.clone(), rounds.clone());
            tokio::spawn(task)
        })
        .collect();
    let backups = tempfile::tempdir().unwrap();
    let folder = backup_during_pushes(&server, backups.path(), &done, &rounds).await;
    let mut batches = Vec::new();
    for pusher in pushers {
        batches.extend(pusher.await.unwrap());
    }
    let photo_after = upload_photo(&server, &learners[0], &jpeg(250)).await;

    let target = tempfile::tempdir().unwrap();
    let (db, photos) = (
        target.path().join("officina.db"),
        target.path().join("foto"),
    );
    backup::restore(&folder, &db, &photos, false, &mut |_| {})
        .await
        .expect("restored");
    let restored = TestServer::start(&serving(&workspace, &db, &photos)).await;

    let manifest = read_manifest(&folder);
    let (mut original_events, mut restored_events) = (Vec::new(), Vec::new());
    for learner in &learners {
        original_events.extend(all_events(&server, learner).await);
        restored_events.extend(all_events(&restored, learner).await);
    }
    assert_eq!(restored_events.len() as i64, manifest.counts["events"]);
    assert!(
        restored_events.len() < original_events.len(),
        "pushes went on after the backup"
    );
    // The copy is one moment of the log: exactly the events up to its last seq, each whole.
    let seq = |event: &Value| event["seq"].as_i64().unwrap();
    let last = restored_events
        .iter()
        .map(seq)
        .max()
        .expect("events before the backup");
    let by_seq = |events: Vec<Value>| -> BTreeMap<i64, Value> {
        events
            .into_iter()
            .map(|event| (seq(&event), event))
            .collect()
    };
    let expected: BTreeMap<i64, Value> = by_seq(original_events)
        .into_iter()
        .filter(|(s, _)| *s <= last)
        .collect();
    assert_eq!(by_seq(restored_events.clone()), expected);
    let restored_ids: BTreeSet<&str> = restored_events
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    for [first, second] in &batches {
        let (first, second) = (first.to_string(), second.to_string());
        assert_eq!(
            restored_ids.contains(first.as_str()),
            restored_ids.contains(second.as_str()),
            "a push is restored whole or not at all"
        );
    }

    assert_eq!(manifest.counts["photos"], photos_before.len() as i64);
    assert_eq!(manifest.photos.len(), photos_before.len());
    for (owner, id) in &photos_before {
        let original = photo_bytes(&server, owner, *id)
            .await
            .expect("original photo");
        assert_eq!(photo_bytes(&restored, owner, *id).await, Some(original));
    }
    assert!(
        photo_bytes(&server, &learners[0], photo_after)
            .await
            .is_some()
    );
    assert_eq!(
        photo_bytes(&restored, &learners[0], photo_after).await,
        None
    );

    restored.stop().await;
    Arc::into_inner(server).expect("pushers done").stop().await;
}

/// A learner alone in a new cohort, with one lesson done (one event).
async fn learner_with_a_lesson_done(server: &TestServer) -> Account {
    let learner = server.learner().await;
    let events = json!([completed(Uuid::new_v4(), "demo-lezione")]);
    let (status, body) = server.push(&learner.token, events).await;
    assert_eq!(common::statuses(&body), ["accepted"], "{status}");
    learner
}

/// The photos folder of a server started from [`Workspace::args`]: the default, beside its database.
fn photos_of(server: &TestServer) -> PathBuf {
    server.db().parent().unwrap().join("photos")
}

/// A server's backup with one learner, a few events and two photos: the workspace, the backup
/// folder (in the workspace) and the learner.
async fn small_backup() -> (Workspace, PathBuf, Account) {
    // SQLite whatever OFFICINA_TEST_DB says: backup takes the file (PostgreSQL's is pg_dump's job).
    let workspace = Workspace::sqlite();
    let server = TestServer::start(&workspace.args()).await;
    let learner = learner_with_a_lesson_done(&server).await;
    upload_photo(&server, &learner, &jpeg(30)).await;
    upload_photo(&server, &learner, &jpeg(90)).await;
    let to = workspace.dir.path().join("backups");
    let folder = backup::take(server.db(), &photos_of(&server), &to, &mut |_| {})
        .await
        .unwrap();
    server.stop().await;
    (workspace, folder, learner)
}

#[tokio::test]
async fn a_photo_already_missing_from_the_folder_is_reported_and_the_others_are_backed_up() {
    // SQLite whatever OFFICINA_TEST_DB says: backup takes the file (PostgreSQL's is pg_dump's job).
    let workspace = Workspace::sqlite();
    let server = TestServer::start(&workspace.args()).await;
    let learner = learner_with_a_lesson_done(&server).await;
    let kept = upload_photo(&server, &learner, &jpeg(30)).await;
    let lost = upload_photo(&server, &learner, &jpeg(90)).await;
    let file = |bytes: Vec<u8>| FileEntry::of_bytes(String::new(), &bytes).sha256 + ".jpg";
    let kept_bytes = photo_bytes(&server, &learner, kept).await.unwrap();
    let lost_file =
        photos_of(&server).join(file(photo_bytes(&server, &learner, lost).await.unwrap()));
    std::fs::remove_file(&lost_file).unwrap();

    let mut said = Vec::new();
    let to = workspace.dir.path().join("backups");
    let folder = backup::take(server.db(), &photos_of(&server), &to, &mut |line| {
        said.push(line)
    })
    .await
    .expect("backed up all the same");
    let warning = format!(
        "attenzione: foto mancante, non copiata: {}",
        lost_file.display()
    );
    assert!(said.contains(&warning), "{said:?}");
    let copied = format!("foto copiate: 1, {} byte", kept_bytes.len());
    assert!(said.contains(&copied), "{said:?}");
    let manifest = read_manifest(&folder);
    assert_eq!(manifest.counts["photos"], 2, "both rows are in the copy");
    assert_eq!(
        manifest.photos,
        [FileEntry::of_bytes(file(kept_bytes.clone()), &kept_bytes)]
    );
    server.stop().await;
}

/// A copy of the backup `folder` to damage, in a new temporary folder.
fn copy_of(folder: &Path) -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::tempdir().unwrap();
    let copy = temp.path().join(folder.file_name().unwrap());
    std::fs::create_dir_all(copy.join(PHOTOS)).unwrap();
    for name in [DATABASE, MANIFEST] {
        std::fs::copy(folder.join(name), copy.join(name)).unwrap();
    }
    for photo in std::fs::read_dir(folder.join(PHOTOS)).unwrap() {
        let photo = photo.unwrap().path();
        std::fs::copy(&photo, copy.join(PHOTOS).join(photo.file_name().unwrap())).unwrap();
    }
    (temp, copy)
}

fn write_manifest(folder: &Path, manifest: &Manifest) {
    std::fs::write(folder.join(MANIFEST), serde_json::to_vec(manifest).unwrap()).unwrap();
}

/// Restores `folder` into a fresh target: the refusal, after checking nothing was written.
async fn refused(folder: &Path) -> (Refusal, String) {
    let target = tempfile::tempdir().unwrap();
    let (db, photos) = (
        target.path().join("officina.db"),
        target.path().join("photos"),
    );
    let err = backup::restore(folder, &db, &photos, false, &mut |_| {})
        .await
        .expect_err("refused");
    let written: Vec<_> = std::fs::read_dir(target.path()).unwrap().collect();
    assert!(written.is_empty(), "nothing written: {written:?}");
    let message = err.to_string();
    (err.downcast::<Refusal>().expect("a refusal"), message)
}

#[tokio::test]
async fn restore_refuses_a_backup_that_differs_from_its_manifest_naming_the_file() {
    let (_workspace, folder, _) = small_backup().await;
    let manifest = read_manifest(&folder);
    let photo = manifest.photos[0].file.clone();

    let (_temp, copy) = copy_of(&folder);
    let mut changed = manifest.clone();
    changed.database.sha256 = changed.photos[1].sha256.clone();
    write_manifest(&copy, &changed);
    let (refusal, message) = refused(&copy).await;
    assert!(
        matches!(refusal, Refusal::Altered(path) if path == copy.join(DATABASE)),
        "{message}"
    );

    let (_temp, copy) = copy_of(&folder);
    let altered = copy.join(PHOTOS).join(&photo);
    let mut bytes = std::fs::read(&altered).unwrap();
    bytes[100] ^= 1;
    std::fs::write(&altered, bytes).unwrap();
    let (refusal, message) = refused(&copy).await;
    assert!(
        matches!(refusal, Refusal::Altered(path) if path == altered),
        "{message}"
    );
    assert!(message.contains(&photo), "{message}");

    let (_temp, copy) = copy_of(&folder);
    std::fs::remove_file(copy.join(PHOTOS).join(&photo)).unwrap();
    let (refusal, message) = refused(&copy).await;
    assert!(
        matches!(refusal, Refusal::Missing(path) if path.ends_with(&photo)),
        "{message}"
    );

    let (_temp, copy) = copy_of(&folder);
    std::fs::write(copy.join(PHOTOS).join("intruso.jpg"), b"jpeg").unwrap();
    let (refusal, message) = refused(&copy).await;
    assert!(
        matches!(refusal, Refusal::Unlisted(path) if path.ends_with("intruso.jpg")),
        "{message}"
    );

    let (_temp, copy) = copy_of(&folder);
    let mut changed = manifest.clone();
    *changed.counts.get_mut("events").unwrap() += 1;
    write_manifest(&copy, &changed);
    let (refusal, message) = refused(&copy).await;
    assert!(
        matches!(&refusal, Refusal::Count { table, expected: 2, found: 1 } if table == "events"),
        "{message}"
    );

    let (_temp, copy) = copy_of(&folder);
    std::fs::remove_file(copy.join(MANIFEST)).unwrap();
    let (refusal, message) = refused(&copy).await;
    assert!(matches!(refusal, Refusal::Manifest { .. }), "{message}");
}

/// The files directly in `dir`: their bytes by name.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_file())
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&path).unwrap())
        })
        .collect()
}

/// Waits until the last connection to the database `db` of a stopped server has closed: its
/// WAL is folded into the file and removed, so the file no longer changes.
async fn closed(db: &Path) {
    let wal = db.with_extension("db-wal");
    for _ in 0..500 {
        if !wal.exists() {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    panic!("{} is still open", db.display());
}

#[tokio::test]
async fn restore_replaces_a_server_in_use_only_when_forced() {
    let (workspace, folder, learner) = small_backup().await;
    // Another server's data where the backup goes.
    let target = tempfile::tempdir().unwrap();
    let (db, photos) = (
        target.path().join("officina.db"),
        target.path().join("photos"),
    );
    let other = TestServer::start(&serving(&workspace, &db, &photos)).await;
    let stranger = other.learner().await;
    upload_photo(&other, &stranger, &jpeg(60)).await;
    other.stop().await;
    closed(&db).await;
    let before = (std::fs::read(&db).unwrap(), files(&photos));

    let err = backup::restore(&folder, &db, &photos, false, &mut |_| {})
        .await
        .expect_err("refused");
    assert!(
        matches!(err.downcast_ref(), Some(Refusal::NotEmpty(path)) if *path == db),
        "{err}"
    );
    assert_eq!(
        (std::fs::read(&db).unwrap(), files(&photos)),
        before,
        "untouched"
    );

    let mut said = Vec::new();
    backup::restore(&folder, &db, &photos, true, &mut |line| said.push(line))
        .await
        .expect("forced");
    assert_eq!(
        said.last().unwrap(),
        &format!("ripristino completo da {}", folder.display())
    );
    assert_eq!(
        std::fs::read(&db).unwrap(),
        std::fs::read(folder.join(DATABASE)).unwrap()
    );
    assert_eq!(files(&photos), files(&folder.join(PHOTOS)));
    let left: Vec<String> = files(target.path()).into_keys().collect();
    assert_eq!(left, ["officina.db"], "no temporary file or old WAL left");

    let restored = TestServer::start(&serving(&workspace, &db, &photos)).await;
    assert_eq!(all_events(&restored, &learner).await.len(), 1);
    let (status, _) = restored.get_as("/api/me", &stranger).await;
    assert_eq!(
        status,
        reqwest::StatusCode::UNAUTHORIZED,
        "the old data is gone"
    );
    restored.stop().await;
}

fn binary() -> Command {
    Command::new(env!("CARGO_BIN_EXE_officina-server"))
}

/// Runs the binary with `args`: whether it succeeded, its standard output and error.
fn run(args: &[&std::ffi::OsStr]) -> (bool, String, String) {
    let output = binary().args(args).output().unwrap();
    let text = |bytes: Vec<u8>| String::from_utf8(bytes).unwrap();
    (
        output.status.success(),
        text(output.stdout),
        text(output.stderr),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backup_and_restore_work_as_commands_on_a_running_server() {
    // SQLite whatever OFFICINA_TEST_DB says: backup takes the file (PostgreSQL's is pg_dump's job).
    let workspace = Workspace::sqlite();
    let server = TestServer::start(&workspace.args()).await;
    let learner = learner_with_a_lesson_done(&server).await;
    let photo = upload_photo(&server, &learner, &jpeg(70)).await;

    let to = workspace.dir.path().join("backups");
    let (ok, out, err) = run(&[
        "backup".as_ref(),
        "--db".as_ref(),
        server.db().as_os_str(),
        "--to".as_ref(),
        to.as_os_str(),
    ]);
    assert!(ok, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].starts_with("database copiato: officina.db, "),
        "{out}"
    );
    assert!(lines.iter().any(|l| l.contains(", events 1, ")), "{out}");
    assert!(out.contains("\nfoto copiate: 1, "), "{out}");
    let folder = PathBuf::from(
        lines
            .last()
            .and_then(|l| l.strip_prefix("backup completo: "))
            .unwrap(),
    );
    assert_eq!(folder.parent().unwrap(), to);
    assert!(
        folder
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("officina-20")
    );
    assert_eq!(read_manifest(&folder).counts["events"], 1);

    let target = workspace.dir.path().join("ripristino");
    let (db, photos) = (target.join("officina.db"), target.join("foto"));
    let restore = |force: bool| {
        let mut args = vec![
            "restore".as_ref(),
            "--from".as_ref(),
            folder.as_os_str(),
            "--db".as_ref(),
            db.as_os_str(),
            "--photos-dir".as_ref(),
            photos.as_os_str(),
        ];
        if force {
            args.push("--force".as_ref());
        }
        run(&args)
    };
    let (ok, out, err) = restore(false);
    assert!(ok, "{err}");
    assert_eq!(
        out.lines().last(),
        Some(format!("ripristino completo da {}", folder.display()).as_str())
    );
    let (ok, _, err) = restore(false);
    assert!(!ok);
    assert_eq!(
        err.trim(),
        format!(
            "errore: {} non è vuoto: aggiungi --force per sostituirlo",
            db.display()
        )
    );
    let (ok, _, err) = restore(true);
    assert!(ok, "{err}");

    let restored = TestServer::start(&serving(&workspace, &db, &photos)).await;
    assert_eq!(
        all_events(&restored, &learner).await,
        all_events(&server, &learner).await
    );
    assert_eq!(
        photo_bytes(&restored, &learner, photo).await,
        photo_bytes(&server, &learner, photo).await
    );
    restored.stop().await;
    server.stop().await;
}
