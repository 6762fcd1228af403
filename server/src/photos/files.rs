//! The photos folder: finished photos as `<sha256>.jpg`, uploads in progress as
//! `partial/<id>.part`. Every write is flushed to disk before the database records it, and a
//! finished photo appears only whole (written aside, then renamed), so a crash leaves no half photo.

use sha2::{Digest, Sha256};
use std::fs::{self, File, OpenOptions};
use std::io::{self, ErrorKind, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A temporary file older than this was left by a crash, not being written.
const LEFT_BY_A_CRASH: Duration = Duration::from_secs(3600);

#[derive(Debug, Clone)]
pub struct PhotoDir {
    root: PathBuf,
}

impl PhotoDir {
    /// Creates the folder and its `partial/` when missing, and removes the temporary files a
    /// crash left. Only old ones: another copy of the server sharing the folder may be writing a
    /// new one, which takes milliseconds.
    pub fn open(root: &Path) -> io::Result<Self> {
        fs::create_dir_all(root.join("partial"))?;
        for entry in fs::read_dir(root)? {
            let entry = entry?;
            let path = entry.path();
            let age = entry.metadata()?.modified()?.elapsed().unwrap_or_default();
            if path.extension().is_some_and(|ext| ext == "tmp") && age > LEFT_BY_A_CRASH {
                fs::remove_file(path)?;
            }
        }
        Ok(Self {
            root: root.to_path_buf(),
        })
    }

    /// The folder of a server that may be running, as it is: nothing created, nothing cleaned up
    /// (its temporary files may be uploads being written).
    pub fn existing(root: &Path) -> Self {
        Self {
            root: root.to_path_buf(),
        }
    }

    /// `id` is always a canonical UUID, so it cannot leave the folder.
    fn partial(&self, id: &str) -> PathBuf {
        self.root.join("partial").join(format!("{id}.part"))
    }

    pub fn stored(&self, sha256: &str) -> PathBuf {
        self.root.join(stored_name(sha256))
    }

    /// How many bytes of upload `id` are on disk.
    pub fn partial_len(&self, id: &str) -> io::Result<u64> {
        match fs::metadata(self.partial(id)) {
            Ok(meta) => Ok(meta.len()),
            Err(err) if err.kind() == ErrorKind::NotFound => Ok(0),
            Err(err) => Err(err),
        }
    }

    /// Writes `chunk` at `offset`, dropping anything past it first (bytes written before a crash
    /// that the database never counted), and flushes it to disk.
    pub fn append(&self, id: &str, offset: u64, chunk: &[u8]) -> io::Result<()> {
        let mut file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(self.partial(id))?;
        file.set_len(offset)?;
        file.seek(SeekFrom::Start(offset))?;
        file.write_all(chunk)?;
        file.sync_all()
    }

    pub fn read_partial(&self, id: &str) -> io::Result<Vec<u8>> {
        fs::read(self.partial(id))
    }

    /// Deletes the stored file named `sha256` (gone already is fine).
    pub fn remove_stored(&self, sha256: &str) -> io::Result<()> {
        match fs::remove_file(self.stored(sha256)) {
            Err(err) if err.kind() != ErrorKind::NotFound => Err(err),
            _ => Ok(()),
        }
    }

    pub fn remove_partial(&self, id: &str) -> io::Result<()> {
        match fs::remove_file(self.partial(id)) {
            Err(err) if err.kind() != ErrorKind::NotFound => Err(err),
            _ => Ok(()),
        }
    }

    /// Stores upload `id`'s `jpeg` under its SHA-256 (hex), which it returns; the same bytes are
    /// stored once.
    pub fn store(&self, id: &str, jpeg: &[u8]) -> io::Result<String> {
        let sha256 = hex(&Sha256::digest(jpeg));
        let path = self.stored(&sha256);
        if !path.exists() {
            // Beside its final name, so the rename stays on one file system and is atomic; named
            // for the upload too, so two uploads of the same picture never share a temporary file.
            let temp = self.root.join(format!("{sha256}.{id}.tmp"));
            let mut file = File::create(&temp)?;
            file.write_all(jpeg)?;
            file.sync_all()?;
            fs::rename(&temp, &path)?;
            File::open(&self.root)?.sync_all()?;
        }
        Ok(sha256)
    }
}

/// The file name of the finished photo whose bytes hash to `sha256`.
pub fn stored_name(sha256: &str) -> String {
    format!("{sha256}.jpg")
}

/// Lowercase hexadecimal, as SHA-256 digests are written in file names and manifests.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "0b6c5d2e-8f1a-4c3b-9d7e-2a4f6b8c1d3e";

    #[test]
    fn a_chunk_replaces_bytes_written_past_its_offset() {
        let temp = tempfile::tempdir().unwrap();
        let dir = PhotoDir::open(temp.path()).unwrap();
        dir.append(ID, 0, b"abcd").unwrap();
        // Bytes a crash wrote after "ab" that the database never counted.
        dir.append(ID, 2, b"XY").unwrap();
        assert_eq!(dir.read_partial(ID).unwrap(), b"abXY");
        assert_eq!(dir.partial_len(ID).unwrap(), 4);
        dir.remove_partial(ID).unwrap();
        dir.remove_partial(ID).unwrap();
        assert_eq!(dir.partial_len(ID).unwrap(), 0);
    }

    #[test]
    fn stores_by_sha256_once_and_opening_clears_old_leftover_temporary_files_only() {
        let temp = tempfile::tempdir().unwrap();
        let dir = PhotoDir::open(temp.path()).unwrap();
        let sha = dir.store(ID, b"jpeg").unwrap();
        assert_eq!(
            sha,
            "41e5787e9f28562d07b891b1816b492309d646c0f2829743fa4963a9f9cc1d61"
        );
        assert_eq!(fs::read(dir.stored(&sha)).unwrap(), b"jpeg");
        assert_eq!(dir.store(ID, b"jpeg").unwrap(), sha);
        let leftover = temp.path().join(format!("{sha}.{ID}.tmp"));
        fs::write(&leftover, b"jp").unwrap();
        PhotoDir::open(temp.path()).unwrap();
        assert!(leftover.exists(), "maybe another copy's, being written");
        let two_hours_ago = std::time::SystemTime::now() - Duration::from_secs(7200);
        File::options()
            .write(true)
            .open(&leftover)
            .unwrap()
            .set_modified(two_hours_ago)
            .unwrap();
        PhotoDir::open(temp.path()).unwrap();
        assert!(!leftover.exists());
        assert!(dir.stored(&sha).exists());
    }
}
