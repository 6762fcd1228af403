//! The programme's content: authored as TOML and Markdown files in `content/` (see
//! docs/content-format.md), checked and compiled once at start-up into the versioned bundle the
//! app downloads.

mod checks;
mod compile;
mod markdown;
mod problems;
mod questionnaire;
mod sources;
mod tree;

pub use problems::{ContentErrors, Problem};
pub use tree::IMAGES_URL;
pub(crate) use tree::short_hex;

use crate::precompress::{brotli_bytes, gzip_bytes};
use officina_core::Bundle;
use std::path::Path;

/// The checked bundle, with its JSON ready to serve, also compressed once at the best levels
/// (it is the largest download after the app, and phones are often on slow data).
#[derive(Debug)]
pub struct LoadedContent {
    pub bundle: Bundle,
    pub json: Vec<u8>,
    pub json_brotli: Vec<u8>,
    pub json_gzip: Vec<u8>,
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
    let json_brotli = brotli_bytes(&json).expect("compressing into memory cannot fail");
    let json_gzip = gzip_bytes(&json).expect("compressing into memory cannot fail");
    Ok(LoadedContent {
        bundle,
        json,
        json_brotli,
        json_gzip,
    })
}
