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

/// What a browser fetches before a page's first paint: the page `html` at `page_dir/index.html`
/// (`page_dir` relative to dist, `""` for the learner's app) and every script, stylesheet and
/// preload it names (Trunk's hashed css, js and wasm, and plain scripts such as pwa.js). Not what
/// is fetched afterwards (the service worker, the manifest, icons, scripts the app loads on
/// demand), nor another page's files.
pub fn first_load<'a>(sizes: &'a [Sizes], page_dir: &Path, html: &str) -> Vec<&'a Sizes> {
    let page = page_dir.join("index.html");
    let loaded: Vec<PathBuf> = loaded_at_start(html)
        .map(|url| PathBuf::from(url.trim_start_matches('/')))
        .collect();
    sizes
        .iter()
        .filter(|size| size.file == page || loaded.contains(&size.file))
        .collect()
}

/// The URLs of a page's `<script src>`s and of its `<link>`s to stylesheets and preloads.
fn loaded_at_start(html: &str) -> impl Iterator<Item = &str> {
    html.split('<').filter_map(|tag| {
        let tag = tag.split('>').next().unwrap_or_default();
        if tag.starts_with("script") {
            attribute(tag, "src")
        } else if tag.starts_with("link")
            && attribute(tag, "rel")
                .is_some_and(|rel| ["stylesheet", "modulepreload", "preload"].contains(&rel))
        {
            attribute(tag, "href")
        } else {
            None
        }
    })
}

/// An attribute's value, quoted or not (Trunk's minified HTML leaves most unquoted).
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let at = tag.find(&format!(" {name}="))? + name.len() + 2;
    let value = &tag[at..];
    match value.chars().next()? {
        quote @ ('"' | '\'') => value[1..].split(quote).next(),
        _ => value.split(|c: char| c.is_whitespace()).next(),
    }
}

fn compressible_files(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut files = files_under(dir)?;
    files.retain(|file| is_compressible(file));
    Ok(files)
}

/// Every file below `dir`, sorted.
pub(crate) fn files_under(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            files.extend(files_under(&path)?);
        } else {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// Whether `file` gets compressed copies.
pub(crate) fn is_compressible(file: &Path) -> bool {
    file.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| COMPRESSIBLE.contains(&e))
}

pub(crate) fn sibling(file: &Path, extension: &str) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".");
    name.push(extension);
    PathBuf::from(name)
}

pub(crate) fn is_stale(source: &Path, copy: &Path) -> io::Result<bool> {
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
    fn a_first_load_is_the_page_and_every_file_it_loads_at_start() {
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
            size("manifest.webmanifest"),
            size("pwa.js"),
            size("photos.js"),
            size("sw.js"),
            size("icons/icon.svg"),
            size("educator/index.html"),
            size("educator/educator-fedcba9876543210.js"),
            size("educator/educator-fedcba9876543210_bg.wasm"),
        ];
        // As Trunk writes them: minified, most attributes unquoted.
        let learner = "<!doctype html><html lang=it><title>Officina</title>\
            <link href=/manifest.webmanifest rel=manifest><link href=/icons/icon.svg rel=icon>\
            <link href=/main-0123456789abcdef.css rel=stylesheet><script defer src=/pwa.js></script>\
            <script type=module>import init from '/officina-0123456789abcdef.js';</script>\
            <link crossorigin href=/officina-0123456789abcdef.js rel=modulepreload>\
            <link as=fetch href=\"/officina-0123456789abcdef_bg.wasm\" rel=\"preload\"></head>";
        let educator = "<link href='/educator/educator-fedcba9876543210.js' rel=modulepreload>\
            <link href=/educator/educator-fedcba9876543210_bg.wasm rel=preload>";
        let files = |dir: &str, html: &str| -> Vec<String> {
            first_load(&sizes, Path::new(dir), html)
                .iter()
                .map(|s| s.file.display().to_string())
                .collect()
        };
        assert_eq!(
            files("", learner),
            [
                "index.html",
                "officina-0123456789abcdef.js",
                "officina-0123456789abcdef_bg.wasm",
                "main-0123456789abcdef.css",
                "pwa.js"
            ]
        );
        assert_eq!(
            files("educator", educator),
            [
                "educator/index.html",
                "educator/educator-fedcba9876543210.js",
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
