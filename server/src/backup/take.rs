//! `officina-server backup`: a consistent copy of a possibly running server's data.

use super::manifest::{self, DATABASE, FORMAT, FileEntry, MANIFEST, Manifest, PHOTOS};
use super::{beside, sync_dir, write_synced};
use crate::photos::files::stored_name;
use anyhow::{Context, bail};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode};
use sqlx::{ConnectOptions, Connection, SqliteConnection};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;

/// Backs up the database `db` and the photos in `photos` into a new `officina-<UTC time>` folder
/// in `to`, telling `say` each thing done; the folder. It is filled under a `.tmp` name and
/// renamed last, so a backup cut short never looks complete.
pub async fn take(
    db: &Path,
    photos: &Path,
    to: &Path,
    say: &mut dyn FnMut(String),
) -> anyhow::Result<PathBuf> {
    let now = OffsetDateTime::now_utc().replace_nanosecond(0)?;
    let stamp = now.format(format_description!(
        "[year]-[month]-[day]T[hour][minute][second]Z"
    ))?;
    let folder = to.join(format!("officina-{stamp}"));
    if folder.exists() {
        bail!("{} esiste già", folder.display());
    }
    let temp = beside(&folder, ".tmp");
    fs::create_dir_all(temp.join(PHOTOS))
        .with_context(|| format!("non posso creare {}", temp.display()))?;
    if let Err(err) = fill(db, photos, &temp, now, say).await {
        let _ = fs::remove_dir_all(&temp);
        return Err(err);
    }
    fs::rename(&temp, &folder)?;
    sync_dir(to)?;
    say(format!("backup completo: {}", folder.display()));
    Ok(folder)
}

/// Writes the copy of the database, its photos and the manifest into `temp`.
async fn fill(
    db: &Path,
    photos: &Path,
    temp: &Path,
    now: OffsetDateTime,
    say: &mut dyn FnMut(String),
) -> anyhow::Result<()> {
    let copy = temp.join(DATABASE);
    snapshot(db, &copy).await?;
    let (counts, photo_hashes) = read_copy(&copy).await?;
    let database = FileEntry::of(&copy)?;
    fs::File::open(&copy)?.sync_all()?;
    say(format!(
        "database copiato: {DATABASE}, {} byte",
        database.bytes
    ));
    say(format!("righe: {}", manifest::counts_line(&counts)));
    let photos = copy_photos(photos, &temp.join(PHOTOS), &photo_hashes, say)?;
    let total: u64 = photos.iter().map(|p| p.bytes).sum();
    say(format!("foto copiate: {}, {total} byte", photos.len()));
    let manifest = Manifest {
        format: FORMAT,
        created_at: now.format(&Rfc3339)?,
        officina_server: env!("CARGO_PKG_VERSION").to_owned(),
        counts,
        database,
        photos,
    };
    write_synced(&temp.join(MANIFEST), &serde_json::to_vec_pretty(&manifest)?)?;
    sync_dir(&temp.join(PHOTOS))?;
    sync_dir(temp)?;
    say(format!("manifest scritto: {MANIFEST}"));
    Ok(())
}

/// Copies the live database `db` into `copy` as one read transaction: the server goes on
/// writing (WAL), and the copy holds exactly the commits before it began.
async fn snapshot(db: &Path, copy: &Path) -> anyhow::Result<()> {
    if !db.is_file() {
        bail!("database non trovato: {}", db.display());
    }
    let mut live = SqliteConnectOptions::new()
        .filename(db)
        .busy_timeout(Duration::from_secs(30))
        .connect()
        .await
        .with_context(|| format!("non posso aprire {}", db.display()))?;
    let into = copy
        .to_str()
        .context("il percorso del backup non è UTF-8")?;
    sqlx::query("VACUUM INTO $1")
        .bind(into)
        .execute(&mut live)
        .await
        .with_context(|| format!("non posso copiare {}", db.display()))?;
    live.close().await?;
    Ok(())
}

/// The copy's rows per table and the hashes of the photos it names. It is left a single file
/// (rollback journal), so nothing beside it is needed to read it.
async fn read_copy(copy: &Path) -> anyhow::Result<(BTreeMap<String, i64>, Vec<String>)> {
    let mut db: SqliteConnection = SqliteConnectOptions::new()
        .filename(copy)
        .journal_mode(SqliteJournalMode::Delete)
        .connect()
        .await?;
    let counts = manifest::counts(&mut db).await?;
    let hashes = sqlx::query_scalar("SELECT DISTINCT sha256 FROM photos ORDER BY sha256")
        .fetch_all(&mut db)
        .await?;
    db.close().await?;
    Ok((counts, hashes))
}

/// Copies the photo files named by `hashes` from `from` to `to`. A file already missing from the
/// live folder is reported and skipped: one lost photo must not stop every later backup.
fn copy_photos(
    from: &Path,
    to: &Path,
    hashes: &[String],
    say: &mut dyn FnMut(String),
) -> anyhow::Result<Vec<FileEntry>> {
    let mut copied = Vec::with_capacity(hashes.len());
    for sha256 in hashes {
        let name = stored_name(sha256);
        let source = from.join(&name);
        match fs::read(&source) {
            Ok(bytes) => {
                write_synced(&to.join(&name), &bytes)?;
                copied.push(FileEntry::of_bytes(name, &bytes));
            }
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                say(format!(
                    "attenzione: foto mancante, non copiata: {}",
                    source.display()
                ));
            }
            Err(err) => return Err(err).with_context(|| format!("{}", source.display())),
        }
    }
    Ok(copied)
}
