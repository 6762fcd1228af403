//! The content folder's files and how they compile into a bundle.
//!
//! ```text
//! content/badges.toml                       the programme's badges
//! content/<path>/path.toml                  a path: id, titles, audience, order
//! content/<path>/<module>/module.toml       a module: id, title (folders sort the modules)
//! content/<path>/<module>/<activity>.md     TOML front matter between `+++` lines, then Markdown
//! ```

use super::markdown::to_safe_html;
use super::problems::{ContentErrors, Problem, line_of};
use officina_core::{Activity, ActivityKind, Audience, Badge, Bundle, Localized, Module, Path};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use std::collections::{BTreeMap, HashSet};
use std::path::Path as FsPath;

/// Every source file, by its path relative to the content folder (with `/`), in sorted order.
pub type Sources = BTreeMap<String, String>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PathFile {
    id: String,
    order: u32,
    title: Localized,
    summary: Localized,
    audience: Audience,
    edition: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ModuleFile {
    id: String,
    title: Localized,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ActivityFrontMatter {
    id: String,
    kind: ActivityKind,
    title: Localized,
    minutes: Option<u32>,
    xp: Option<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BadgesFile {
    #[serde(default)]
    badge: Vec<Badge>,
}

/// Reads every `.toml` and `.md` file below `dir`.
pub fn read_tree(dir: &FsPath) -> Result<Sources, ContentErrors> {
    let mut sources = Sources::new();
    let mut problems = Vec::new();
    read_dir_into(dir, "", &mut sources, &mut problems);
    if problems.is_empty() { Ok(sources) } else { Err(ContentErrors(problems)) }
}

fn read_dir_into(dir: &FsPath, prefix: &str, sources: &mut Sources, problems: &mut Vec<Problem>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) => {
            let shown = if prefix.is_empty() { dir.display().to_string() } else { prefix.to_owned() };
            problems.push(Problem::new(&shown, None, format!("cartella illeggibile: {err}")));
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
            read_dir_into(&path, &format!("{relative}/"), sources, problems);
        } else if name.ends_with(".toml") || name.ends_with(".md") {
            match std::fs::read_to_string(&path) {
                Ok(text) => {
                    sources.insert(relative, text);
                }
                Err(err) => problems.push(Problem::new(&relative, None, format!("file illeggibile: {err}"))),
            }
        }
    }
}

/// Compiles the sources into a bundle (without its version), collecting every problem.
pub fn compile(sources: &Sources) -> Result<Bundle, ContentErrors> {
    let mut problems = Vec::new();
    let mut ids = IdRegistry::default();
    let badges = match sources.get("badges.toml") {
        Some(text) => parse_toml::<BadgesFile>("badges.toml", text, 0, &mut problems)
            .map(|file| file.badge)
            .unwrap_or_default(),
        None => {
            problems.push(Problem::new("badges.toml", None, "file mancante: serve l'elenco dei badge"));
            Vec::new()
        }
    };
    for badge in &badges {
        ids.claim("badge", &badge.id, "badges.toml", &mut problems);
        require_italian("badges.toml", &badge.name, &mut problems);
    }
    let mut paths = Vec::new();
    for (file, text) in sources.iter().filter(|(f, _)| is_path_file(f)) {
        if let Some(path) = compile_path(sources, file, text, &mut ids, &mut problems) {
            paths.push(path);
        }
    }
    paths.sort_by_key(|(order, _)| *order);
    report_stray_files(sources, &mut problems);
    if problems.is_empty() {
        let paths = paths.into_iter().map(|(_, path)| path).collect();
        Ok(Bundle { content_version: String::new(), paths, badges })
    } else {
        Err(ContentErrors(problems))
    }
}

fn compile_path(
    sources: &Sources,
    file: &str,
    text: &str,
    ids: &mut IdRegistry,
    problems: &mut Vec<Problem>,
) -> Option<(u32, Path)> {
    let head = parse_toml::<PathFile>(file, text, 0, problems);
    // The modules are checked even when the path's own file is broken, to report everything at once.
    let folder = file.trim_end_matches("path.toml");
    let modules = sources
        .iter()
        .filter(|(f, _)| f.starts_with(folder) && is_module_file(f))
        .filter_map(|(f, t)| compile_module(sources, f, t, ids, problems))
        .collect();
    let head = head?;
    ids.claim("percorso", &head.id, file, problems);
    require_italian(file, &head.title, problems);
    require_italian(file, &head.summary, problems);
    let path = Path {
        id: head.id,
        title: head.title,
        summary: head.summary,
        audience: head.audience,
        edition: head.edition,
        modules,
    };
    Some((head.order, path))
}

fn compile_module(
    sources: &Sources,
    file: &str,
    text: &str,
    ids: &mut IdRegistry,
    problems: &mut Vec<Problem>,
) -> Option<Module> {
    let head = parse_toml::<ModuleFile>(file, text, 0, problems);
    let folder = file.trim_end_matches("module.toml");
    let activities = sources
        .iter()
        .filter(|(f, _)| f.starts_with(folder) && f.ends_with(".md") && !f[folder.len()..].contains('/'))
        .filter_map(|(f, t)| compile_activity(f, t, ids, problems))
        .collect();
    let head = head?;
    ids.claim("modulo", &head.id, file, problems);
    require_italian(file, &head.title, problems);
    Some(Module { id: head.id, title: head.title, activities })
}

fn compile_activity(file: &str, text: &str, ids: &mut IdRegistry, problems: &mut Vec<Problem>) -> Option<Activity> {
    let Some((front, body, body_line)) = split_front_matter(text) else {
        problems.push(Problem::new(file, Some(1), "manca l'intestazione: il file deve iniziare con una riga `+++`, i dati in TOML e un'altra riga `+++`"));
        return None;
    };
    let head = parse_toml::<ActivityFrontMatter>(file, front, 1, problems)?;
    ids.claim("attività", &head.id, file, problems);
    require_italian(file, &head.title, problems);
    if body.trim().is_empty() {
        problems.push(Problem::new(file, Some(body_line), "il testo dell'attività è vuoto"));
    }
    Some(Activity {
        id: head.id,
        kind: head.kind,
        title: head.title,
        body_html: Localized::it(to_safe_html(body)),
        minutes: head.minutes,
        xp: head.xp,
    })
}

/// Splits `+++\n<toml>\n+++\n<markdown>` into the TOML, the Markdown and the Markdown's first line.
fn split_front_matter(text: &str) -> Option<(&str, &str, usize)> {
    let rest = text.strip_prefix("+++\n").or_else(|| text.strip_prefix("+++\r\n"))?;
    let end = rest.find("\n+++")?;
    let front = &rest[..=end];
    let after = &rest[end + 4..];
    let body = after.split_once('\n').map_or("", |(_, body)| body);
    Some((front, body, line_of(text, text.len() - body.len())))
}

/// Parses TOML that starts `line_offset` lines into its file, reporting errors with the file's line.
fn parse_toml<T: DeserializeOwned>(file: &str, text: &str, line_offset: usize, problems: &mut Vec<Problem>) -> Option<T> {
    match toml::from_str::<T>(text) {
        Ok(value) => Some(value),
        Err(err) => {
            let line = err.span().map(|span| line_of(text, span.start) + line_offset);
            problems.push(Problem::new(file, line, format!("dati non validi: {}", err.message())));
            None
        }
    }
}

fn require_italian(file: &str, text: &Localized, problems: &mut Vec<Problem>) {
    if text.it.trim().is_empty() {
        problems.push(Problem::new(file, None, "manca il testo in italiano (campo `it` vuoto)"));
    }
}

fn is_path_file(file: &str) -> bool {
    file.matches('/').count() == 1 && file.ends_with("/path.toml")
}

fn is_module_file(file: &str) -> bool {
    file.matches('/').count() == 2 && file.ends_with("/module.toml")
}

/// Files that no path or module will read are almost always a misplaced or misnamed file.
fn report_stray_files(sources: &Sources, problems: &mut Vec<Problem>) {
    for file in sources.keys() {
        let depth = file.matches('/').count();
        let known = file == "badges.toml"
            || is_path_file(file)
            || is_module_file(file)
            || (depth == 2 && file.ends_with(".md") && has_sibling(sources, file, "module.toml"));
        if !known {
            problems.push(Problem::new(file, None, "file non riconosciuto: non appartiene a nessun percorso o modulo"));
        }
    }
}

fn has_sibling(sources: &Sources, file: &str, name: &str) -> bool {
    let folder = &file[..=file.rfind('/').unwrap_or(0)];
    sources.contains_key(&format!("{folder}{name}"))
}

/// Ids must be unique across the whole programme: events and badges refer to them.
#[derive(Default)]
struct IdRegistry {
    seen: HashSet<String>,
}

impl IdRegistry {
    fn claim(&mut self, what: &str, id: &str, file: &str, problems: &mut Vec<Problem>) {
        if !is_valid_id(id) {
            problems.push(Problem::new(file, None, format!("id di {what} non valido «{id}»: usa lettere minuscole, cifre e trattini")));
        } else if !self.seen.insert(id.to_owned()) {
            problems.push(Problem::new(file, None, format!("id di {what} duplicato: «{id}» è già usato")));
        }
    }
}

fn is_valid_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}
