//! Backups of a running server and restoring them. A backup is a folder with the database copied
//! by `VACUUM INTO` (one consistent snapshot, while pushes go on), the photo files that copy
//! names, and a manifest of row counts and SHA-256 hashes that a restore checks first.

pub mod manifest;
mod restore;
mod take;

pub use restore::{Refusal, restore};
pub use take::take;

use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};

/// Writes `bytes` to a new file at `path` and flushes it to disk.
fn write_synced(path: &Path, bytes: &[u8]) -> io::Result<()> {
    fs::write(path, bytes)?;
    File::open(path)?.sync_all()
}

/// Copies `from` to `to` and flushes the copy to disk.
fn copy_synced(from: &Path, to: &Path) -> io::Result<()> {
    fs::copy(from, to)?;
    File::open(to)?.sync_all()
}

/// Flushes a folder's entries, so a rename in it survives a crash.
fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

/// `path` with `suffix` added to its file name: a name beside it, on the same file system, so a
/// rename from one to the other is atomic.
fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}
