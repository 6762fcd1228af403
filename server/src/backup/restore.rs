//! `officina-server restore`: a backup checked against its manifest, then put in place whole.

use super::manifest::{self, DATABASE, FORMAT, FileEntry, MANIFEST, Manifest, PHOTOS};
use super::{beside, copy_synced, sync_dir};
use anyhow::Context;
use serde::Deserialize;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::{self, ErrorKind};
use std::path::{Path, PathBuf};

/// Why a backup is not restored; nothing has been written then.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    #[error("manifest illeggibile: {path}: {why}")]
    Manifest { path: PathBuf, why: String },
    #[error("formato del backup {0} sconosciuto: questo officina-server legge il formato {FORMAT}")]
    Format(u32),
    #[error("nome di file non valido nel manifest: «{0}»")]
    BadName(String),
    #[error("file mancante nel backup: {0}")]
    Missing(PathBuf),
    #[error("file alterato nel backup (dimensione o SHA-256 diversi dal manifest): {0}")]
    Altered(PathBuf),
    #[error("file non elencato nel manifest: {0}")]
    Unlisted(PathBuf),
    #[error("il database del backup non ha le tabelle del manifest: {0}")]
    Tables(String),
    #[error(
        "tabella {table}: il manifest dice {expected} righe, il database del backup ne ha {found}"
    )]
    Count {
        table: String,
        expected: i64,
        found: i64,
    },
    #[error("{0} non è vuoto: aggiungi --force per sostituirlo")]
    NotEmpty(PathBuf),
}

/// Restores the backup folder `from` into the database `db` and the photos folder `photos`,
/// telling `say` each thing done. Everything is checked before anything is written; with `force`
/// a non-empty target is replaced, once its replacement is complete beside it. The server must
/// be stopped.
pub async fn restore(
    from: &Path,
    db: &Path,
    photos: &Path,
    force: bool,
    say: &mut dyn FnMut(String),
) -> anyhow::Result<()> {
    let manifest = read_manifest(from)?;
    say(format!(
        "manifest letto: backup del {}, officina-server {}",
        manifest.created_at, manifest.officina_server
    ));
    check_files(from, &manifest)?;
    check_counts(&from.join(DATABASE), &manifest.counts).await?;
    say(format!(
        "backup integro: {DATABASE} e {} foto come nel manifest, righe: {}",
        manifest.photos.len(),
        manifest::counts_line(&manifest.counts)
    ));
    if !force {
        refuse_occupied(db, photos)?;
    }
    let staged_db = stage_database(from, db)?;
    let staged_photos = stage_photos(from, &manifest, photos)?;
    say(format!(
        "copiati accanto alla destinazione: {} e {}",
        staged_db.display(),
        staged_photos.display()
    ));
    swap_photos(&staged_photos, photos)?;
    say(format!(
        "foto ripristinate: {} in {}",
        manifest.photos.len(),
        photos.display()
    ));
    swap_database(&staged_db, db)?;
    say(format!("database ripristinato: {}", db.display()));
    say(format!("ripristino completo da {}", from.display()));
    Ok(())
}

fn read_manifest(from: &Path) -> Result<Manifest, Refusal> {
    #[derive(Deserialize)]
    struct Format {
        format: u32,
    }
    let path = from.join(MANIFEST);
    let refusal = |why: String| Refusal::Manifest {
        path: path.clone(),
        why,
    };
    let text = fs::read(&path).map_err(|err| refusal(err.to_string()))?;
    let Format { format } = serde_json::from_slice(&text).map_err(|e| refusal(e.to_string()))?;
    if format != FORMAT {
        return Err(Refusal::Format(format));
    }
    serde_json::from_slice(&text).map_err(|e| refusal(e.to_string()))
}

/// Every file the manifest lists is there with its size and hash, and no other photo is.
fn check_files(from: &Path, manifest: &Manifest) -> anyhow::Result<()> {
    if manifest.database.file != DATABASE {
        return Err(Refusal::BadName(manifest.database.file.clone()).into());
    }
    check_file(from, &manifest.database)?;
    let photos = from.join(PHOTOS);
    let mut listed = BTreeSet::new();
    for entry in &manifest.photos {
        if !is_plain_name(&entry.file) {
            return Err(Refusal::BadName(entry.file.clone()).into());
        }
        check_file(&photos, entry)?;
        listed.insert(entry.file.as_str());
    }
    for found in fs::read_dir(&photos).with_context(|| format!("{}", photos.display()))? {
        let name = found?.file_name();
        if !listed.contains(name.to_string_lossy().as_ref()) {
            return Err(Refusal::Unlisted(photos.join(name)).into());
        }
    }
    Ok(())
}

/// A name that stays in its folder: no separator, not `..`.
fn is_plain_name(name: &str) -> bool {
    Path::new(name).file_name().is_some_and(|n| n == name)
}

fn check_file(folder: &Path, entry: &FileEntry) -> anyhow::Result<()> {
    let path = folder.join(&entry.file);
    match FileEntry::of(&path) {
        Ok(found) if found == *entry => Ok(()),
        Ok(_) => Err(Refusal::Altered(path).into()),
        Err(err) if err.kind() == ErrorKind::NotFound => Err(Refusal::Missing(path).into()),
        Err(err) => Err(anyhow::Error::new(err).context(path.display().to_string())),
    }
}

/// The backup's database has the manifest's tables with as many rows each; it is read as an
/// immutable file, so nothing is written beside it.
async fn check_counts(copy: &Path, expected: &BTreeMap<String, i64>) -> anyhow::Result<()> {
    let mut db = SqliteConnectOptions::new()
        .filename(copy)
        .read_only(true)
        .immutable(true)
        .connect()
        .await
        .with_context(|| format!("non posso leggere {}", copy.display()))?;
    let found = manifest::counts(&mut db).await?;
    db.close().await?;
    if !found.keys().eq(expected.keys()) {
        let differ: BTreeSet<&String> = found.keys().collect();
        let listed: BTreeSet<&String> = expected.keys().collect();
        let names: Vec<&str> = differ
            .symmetric_difference(&listed)
            .map(|t| t.as_str())
            .collect();
        return Err(Refusal::Tables(names.join(", ")).into());
    }
    for (table, &expected) in expected {
        let found = found[table];
        if found != expected {
            let table = table.clone();
            return Err(Refusal::Count {
                table,
                expected,
                found,
            }
            .into());
        }
    }
    Ok(())
}

/// Refuses a database or photos folder that already holds something.
fn refuse_occupied(db: &Path, photos: &Path) -> Result<(), Refusal> {
    let holds_bytes = |path: &Path| fs::metadata(path).is_ok_and(|m| m.len() > 0);
    if holds_bytes(db) || holds_bytes(&beside(db, "-wal")) {
        return Err(Refusal::NotEmpty(db.to_path_buf()));
    }
    if !is_empty_dir(photos) {
        return Err(Refusal::NotEmpty(photos.to_path_buf()));
    }
    Ok(())
}

/// Missing, or holding nothing but empty folders (a new server makes an empty `partial/`).
fn is_empty_dir(dir: &Path) -> bool {
    let Ok(entries) = fs::read_dir(dir) else {
        return !dir.exists();
    };
    entries
        .flatten()
        .all(|entry| entry.path().is_dir() && is_empty_dir(&entry.path()))
}

/// Copies the backup's database beside `db`; the copy.
fn stage_database(from: &Path, db: &Path) -> anyhow::Result<PathBuf> {
    fs::create_dir_all(parent(db))?;
    let staged = beside(db, ".restore.tmp");
    copy_synced(&from.join(DATABASE), &staged)?;
    Ok(staged)
}

/// Copies the backup's photos into a folder beside `photos`; that folder.
fn stage_photos(from: &Path, manifest: &Manifest, photos: &Path) -> anyhow::Result<PathBuf> {
    let staged = fresh_dir(&beside(photos, ".restore.tmp"))?;
    for entry in &manifest.photos {
        copy_synced(
            &from.join(PHOTOS).join(&entry.file),
            &staged.join(&entry.file),
        )?;
    }
    sync_dir(&staged)?;
    Ok(staged)
}

/// Puts the `staged` photos folder in the place of `photos`; the old one goes after.
fn swap_photos(staged: &Path, photos: &Path) -> io::Result<()> {
    let old = beside(photos, ".old.tmp");
    if photos.exists() {
        remove_dir_if_any(&old)?;
        fs::rename(photos, &old)?;
    }
    fs::rename(staged, photos)?;
    sync_dir(parent(photos))?;
    remove_dir_if_any(&old)
}

/// Renames the `staged` database over `db`. The old database's WAL files go first: SQLite would
/// otherwise read them as part of the new one.
fn swap_database(staged: &Path, db: &Path) -> io::Result<()> {
    for suffix in ["-wal", "-shm"] {
        remove_file_if_any(&beside(db, suffix))?;
    }
    fs::rename(staged, db)?;
    sync_dir(parent(db))
}

/// The folder `path` is in (`.` for a bare name).
fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// An empty folder at `dir` (a leftover of a restore cut short is removed first).
fn fresh_dir(dir: &Path) -> io::Result<PathBuf> {
    remove_dir_if_any(dir)?;
    fs::create_dir_all(dir)?;
    Ok(dir.to_path_buf())
}

fn remove_dir_if_any(dir: &Path) -> io::Result<()> {
    match fs::remove_dir_all(dir) {
        Err(err) if err.kind() != ErrorKind::NotFound => Err(err),
        _ => Ok(()),
    }
}

fn remove_file_if_any(file: &Path) -> io::Result<()> {
    match fs::remove_file(file) {
        Err(err) if err.kind() != ErrorKind::NotFound => Err(err),
        _ => Ok(()),
    }
}
