//! The programme's content: authored as TOML and Markdown files in `content/`, checked and
//! compiled once at start-up into the versioned bundle the app downloads.

mod files;
mod markdown;
mod problems;

pub use problems::{ContentErrors, Problem};

use officina_core::Bundle;
use sha2::{Digest, Sha256};
use std::path::Path;

/// The checked bundle, with its JSON ready to serve.
#[derive(Debug)]
pub struct LoadedContent {
    pub bundle: Bundle,
    pub json: Vec<u8>,
}

impl LoadedContent {
    /// The bundle's `ETag`: its content version, quoted.
    pub fn etag(&self) -> String {
        format!("\"{}\"", self.bundle.content_version)
    }
}

/// Reads, checks and compiles the content folder. Every problem found is reported, not just the first.
pub fn load(dir: &Path) -> Result<LoadedContent, ContentErrors> {
    let sources = files::read_tree(dir)?;
    let mut bundle = files::compile(&sources)?;
    bundle.content_version = version_of(&sources);
    let json = serde_json::to_vec(&bundle).expect("a bundle always serialises");
    Ok(LoadedContent { bundle, json })
}

/// A short hash of every source file's name and bytes.
fn version_of(sources: &files::Sources) -> String {
    let mut hasher = Sha256::new();
    for (name, text) in sources.iter() {
        hasher.update(name.as_bytes());
        hasher.update([0]);
        hasher.update(text.as_bytes());
        hasher.update([0]);
    }
    let digest = hasher.finalize();
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}
