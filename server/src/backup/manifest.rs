//! `manifest.json`: what a backup holds, so a restore can tell it is whole and unaltered.

use crate::photos::files::hex;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::SqliteConnection;
use std::collections::BTreeMap;
use std::fs::File;
use std::io;
use std::path::Path;

/// The manifest's format; a restore refuses any other.
pub const FORMAT: u32 = 1;
pub const MANIFEST: &str = "manifest.json";
/// The database's name in a backup folder.
pub const DATABASE: &str = "officina.db";
/// The photos' folder in a backup folder.
pub const PHOTOS: &str = "photos";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    /// When the database was copied (RFC 3339, UTC).
    pub created_at: String,
    /// The version of the officina-server that made the backup.
    pub officina_server: String,
    /// Rows per table of the copied database.
    pub counts: BTreeMap<String, i64>,
    pub database: FileEntry,
    /// The files in `photos/`, by name.
    pub photos: Vec<FileEntry>,
}

/// A file of the backup: its name in its folder, size and SHA-256 (hex).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    pub file: String,
    pub bytes: u64,
    pub sha256: String,
}

impl FileEntry {
    /// The entry of the file at `path`, read as a stream (a database may be large).
    pub fn of(path: &Path) -> io::Result<Self> {
        let mut hasher = Sha256::new();
        let bytes = io::copy(&mut File::open(path)?, &mut hasher)?;
        Ok(Self {
            file: file_name(path),
            bytes,
            sha256: hex(&hasher.finalize()),
        })
    }

    pub fn of_bytes(file: String, bytes: &[u8]) -> Self {
        Self {
            file,
            bytes: bytes.len() as u64,
            sha256: hex(&Sha256::digest(bytes)),
        }
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}

/// Rows per table, for every table of the schema (those other issues add too).
pub async fn counts(db: &mut SqliteConnection) -> Result<BTreeMap<String, i64>, sqlx::Error> {
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    )
    .fetch_all(&mut *db)
    .await?;
    let mut counts = BTreeMap::new();
    for table in tables {
        let quoted = table.replace('"', "\"\"");
        let count: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM \"{quoted}\""))
            .fetch_one(&mut *db)
            .await?;
        counts.insert(table, count);
    }
    Ok(counts)
}

/// The counts as one line, `table rows, …`, in the tables' order.
pub fn counts_line(counts: &BTreeMap<String, i64>) -> String {
    let parts: Vec<String> = counts.iter().map(|(t, n)| format!("{t} {n}")).collect();
    parts.join(", ")
}
