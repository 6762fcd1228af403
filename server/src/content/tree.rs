//! The files of the content folder: texts (TOML, Markdown) and images, read once.

use super::problems::{ContentErrors, Problem};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::Path;

/// Where the server serves `content/images/`.
pub const IMAGES_URL: &str = "/content/images/";

const IMAGE_EXTENSIONS: &[&str] = &["svg", "png", "jpg", "jpeg", "webp"];

/// Every file by its path relative to the content folder, with `/`, in sorted order.
#[derive(Debug, Default)]
pub struct Tree {
    pub texts: BTreeMap<String, String>,
    /// Image files with a short hash of their bytes (it versions their URLs).
    pub images: BTreeMap<String, String>,
    /// Files that are neither text nor image.
    pub others: Vec<String>,
}

impl Tree {
    /// A short hash of every file's name and bytes: the content version.
    pub fn version(&self) -> String {
        let mut hasher = Sha256::new();
        for (name, text) in &self.texts {
            hasher.update(name.as_bytes());
            hasher.update([0]);
            hasher.update(text.as_bytes());
            hasher.update([0]);
        }
        for (name, hash) in &self.images {
            hasher.update(name.as_bytes());
            hasher.update([0]);
            hasher.update(hash.as_bytes());
        }
        short_hex(&hasher.finalize())
    }

    /// The URL the app uses for an image referenced as `images/…`, if that file exists.
    pub fn image_url(&self, reference: &str) -> Option<String> {
        let hash = self.images.get(reference)?;
        let file = reference.strip_prefix("images/")?;
        Some(format!("{IMAGES_URL}{file}?v={hash}"))
    }
}

pub(crate) fn short_hex(digest: &[u8]) -> String {
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads every file below `dir`.
pub fn read(dir: &Path) -> Result<Tree, ContentErrors> {
    let mut tree = Tree::default();
    let mut problems = Vec::new();
    read_into(dir, "", &mut tree, &mut problems);
    if problems.is_empty() {
        Ok(tree)
    } else {
        Err(ContentErrors(problems))
    }
}

fn read_into(dir: &Path, prefix: &str, tree: &mut Tree, problems: &mut Vec<Problem>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) => {
            let shown = if prefix.is_empty() {
                dir.display().to_string()
            } else {
                prefix.to_owned()
            };
            problems.push(Problem::new(
                &shown,
                None,
                format!("cartella illeggibile: {err}"),
            ));
            return;
        }
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let relative = format!("{prefix}{name}");
        let path = entry.path();
        if path.is_dir() {
            read_into(&path, &format!("{relative}/"), tree, problems);
        } else if let Err(err) = read_file(&path, relative.clone(), tree) {
            problems.push(Problem::new(
                &relative,
                None,
                format!("file illeggibile: {err}"),
            ));
        }
    }
}

fn read_file(path: &Path, relative: String, tree: &mut Tree) -> std::io::Result<()> {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if extension == "toml" || extension == "md" {
        tree.texts.insert(relative, std::fs::read_to_string(path)?);
    } else if IMAGE_EXTENSIONS.contains(&extension.as_str()) {
        let hash = short_hex(&Sha256::digest(std::fs::read(path)?));
        tree.images.insert(relative, hash);
    } else {
        tree.others.push(relative);
    }
    Ok(())
}
