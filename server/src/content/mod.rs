//! The programme's content: authored as TOML and Markdown files in `content/` (see
//! docs/content-format.md), checked and compiled once at start-up into the versioned bundle the
//! app downloads.

mod checks;
mod compile;
mod markdown;
mod problems;
mod sources;
mod tree;

pub use problems::{ContentErrors, Problem};
pub use tree::IMAGES_URL;

use officina_core::Bundle;
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
    let tree = tree::read(dir)?;
    let mut problems = Vec::new();
    let compiled = compile::compile(&tree, &mut problems);
    checks::check(&compiled, &mut problems);
    if !problems.is_empty() {
        return Err(ContentErrors(problems));
    }
    let mut bundle = compiled.bundle;
    bundle.content_version = tree.version();
    let json = serde_json::to_vec(&bundle).expect("a bundle always serialises");
    Ok(LoadedContent { bundle, json })
}
