//! Brotli and gzip copies of the built app's text and wasm files, made once at start-up at the
//! best compression levels, so that every request is answered from a file and not recompressed.

use flate2::Compression;
use flate2::write::GzEncoder;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The extensions worth compressing (images are compressed already).
const COMPRESSIBLE: &[&str] = &[
    "html",
    "js",
    "wasm",
    "css",
    "svg",
    "json",
    "webmanifest",
    "txt",
];

/// One file's size as sent: raw, gzip and brotli bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sizes {
    pub file: PathBuf,
    pub raw: u64,
    pub gzip: u64,
    pub brotli: u64,
}

/// Writes `file.br` and `file.gz` next to every compressible file under `dist` whose copies are
/// missing or older than it, and returns every compressible file's sizes.
pub fn precompress(dist: &Path) -> io::Result<Vec<Sizes>> {
    let mut sizes = Vec::new();
    for file in compressible_files(dist)? {
        let raw = std::fs::read(&file)?;
        let br = sibling(&file, "br");
        let gz = sibling(&file, "gz");
        if is_stale(&file, &br)? || is_stale(&file, &gz)? {
            std::fs::write(&br, brotli_bytes(&raw)?)?;
            std::fs::write(&gz, gzip_bytes(&raw)?)?;
        }
        sizes.push(Sizes {
            raw: raw.len() as u64,
            gzip: std::fs::metadata(&gz)?.len(),
            brotli: std::fs::metadata(&br)?.len(),
            file: file.strip_prefix(dist).unwrap_or(&file).to_path_buf(),
        });
    }
    Ok(sizes)
}

/// What a browser fetches before a page's first paint: the page in `page_dir` (relative to dist,
/// `""` for the learner's app) and the hashed scripts, wasm and styles Trunk wrote for it. Not the
/// files fetched afterwards (service worker, manifest, icons), nor another page's.
pub fn first_load<'a>(sizes: &'a [Sizes], page_dir: &'a Path) -> impl Iterator<Item = &'a Sizes> {
    sizes.iter().filter(move |size| {
        let name = size
            .file
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let trunk_output = crate::web::is_hashed(name)
            && [".js", ".wasm", ".css"].iter().any(|e| name.ends_with(e));
        size.file.parent() == Some(page_dir) && (name == "index.html" || trunk_output)
    })
}

fn compressible_files(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            files.extend(compressible_files(&path)?);
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| COMPRESSIBLE.contains(&e))
        {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

fn sibling(file: &Path, extension: &str) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".");
    name.push(extension);
    PathBuf::from(name)
}

fn is_stale(source: &Path, copy: &Path) -> io::Result<bool> {
    match std::fs::metadata(copy) {
        Ok(meta) => Ok(meta.modified()? < std::fs::metadata(source)?.modified()?),
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(true),
        Err(err) => Err(err),
    }
}

pub fn brotli_bytes(raw: &[u8]) -> io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(raw.len() / 3);
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &raw[..], &mut out, &params)?;
    Ok(out)
}

pub fn gzip_bytes(raw: &[u8]) -> io::Result<Vec<u8>> {
    let mut encoder = GzEncoder::new(Vec::with_capacity(raw.len() / 3), Compression::best());
    encoder.write_all(raw)?;
    encoder.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn each_page_has_its_own_first_load() {
        let size = |file: &str| Sizes {
            file: PathBuf::from(file),
            raw: 1,
            gzip: 1,
            brotli: 1,
        };
        let sizes = [
            size("index.html"),
            size("officina-0123456789abcdef.js"),
            size("officina-0123456789abcdef_bg.wasm"),
            size("main-0123456789abcdef.css"),
            size("pwa.js"),
            size("sw.js"),
            size("icons/icon.svg"),
            size("educator/index.html"),
            size("educator/educator-fedcba9876543210_bg.wasm"),
        ];
        let files = |dir: &str| -> Vec<String> {
            first_load(&sizes, Path::new(dir))
                .map(|s| s.file.display().to_string())
                .collect()
        };
        assert_eq!(
            files(""),
            [
                "index.html",
                "officina-0123456789abcdef.js",
                "officina-0123456789abcdef_bg.wasm",
                "main-0123456789abcdef.css"
            ]
        );
        assert_eq!(
            files("educator"),
            [
                "educator/index.html",
                "educator/educator-fedcba9876543210_bg.wasm"
            ]
        );
    }

    #[test]
    fn writes_copies_that_decompress_to_the_original() {
        let dist = tempfile::tempdir().unwrap();
        let text = "body { color: red; }\n".repeat(200);
        std::fs::write(dist.path().join("style.css"), &text).unwrap();
        std::fs::write(dist.path().join("photo.png"), [0u8; 10]).unwrap();

        let sizes = precompress(dist.path()).unwrap();
        assert_eq!(sizes.len(), 1, "only the CSS is compressible");
        assert!(sizes[0].brotli < sizes[0].raw && sizes[0].gzip < sizes[0].raw);

        let mut from_gzip = String::new();
        let gz = std::fs::read(dist.path().join("style.css.gz")).unwrap();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_string(&mut from_gzip)
            .unwrap();
        assert_eq!(from_gzip, text);
        let mut from_brotli = String::new();
        let br = std::fs::read(dist.path().join("style.css.br")).unwrap();
        brotli::Decompressor::new(&br[..], 4096)
            .read_to_string(&mut from_brotli)
            .unwrap();
        assert_eq!(from_brotli, text);
        assert!(!dist.path().join("photo.png.br").exists());
    }
}
