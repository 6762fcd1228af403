//! The authoring formats: what educators write in `path.toml`, `module.toml`, `badges.toml`,
//! `self-assessment.toml` and the front matter of each activity. Unknown fields are errors, so typos never pass silently.

use super::problems::{Problem, in_italian, line_of};
use officina_core::{ActivityKind, Audience, Criteria, Evidence, Localized, Programme, Question};
use serde::Deserialize;
use serde::de::DeserializeOwned;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PathFile {
    pub id: String,
    pub order: u32,
    pub title: Localized,
    pub summary: Localized,
    pub audience: Audience,
    pub programme: Programme,
    pub edition: String,
    pub ages: Option<String>,
    pub cover: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModuleFile {
    pub id: String,
    pub title: Localized,
}

/// Every field an activity may have; which ones fit depends on `kind`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub id: String,
    pub kind: ActivityKind,
    pub title: Localized,
    pub minutes: Option<u32>,
    pub xp: Option<u32>,
    #[serde(default)]
    pub prerequisites: Vec<String>,
    pub pass_mark: Option<u8>,
    pub questions: Option<Vec<Question>>,
    pub evidence: Option<Vec<Evidence>>,
    pub materials: Option<Vec<Localized>>,
    pub safety: Option<Vec<Localized>>,
    pub steps: Option<Vec<Localized>>,
    pub reflection: Option<Localized>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BadgesFile {
    #[serde(default)]
    pub badge: Vec<BadgeSource>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BadgeSource {
    pub id: String,
    pub name: Localized,
    pub description: Localized,
    pub image: String,
    pub criteria: Criteria,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SelfAssessmentFile {
    /// With where each one is, to report a statement without Italian at its own line (the
    /// parser locates errors inside an inline array only at the array).
    pub statements: Vec<toml::Spanned<Statement>>,
    pub scale: Vec<Localized>,
}

/// A [`Localized`] not yet checked.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Statement {
    #[serde(default)]
    pub it: String,
    pub en: Option<String>,
}

/// Parses TOML that starts `line_offset` lines into its file, reporting errors with the file's line.
pub fn parse_toml<T: DeserializeOwned>(
    file: &str,
    text: &str,
    line_offset: usize,
    problems: &mut Vec<Problem>,
) -> Option<T> {
    match toml::from_str::<T>(text) {
        Ok(value) => Some(value),
        Err(err) => {
            let line = err
                .span()
                .map(|span| line_of(text, span.start) + line_offset);
            problems.push(Problem::new(
                file,
                line,
                format!("dati non validi: {}", in_italian(err.message())),
            ));
            None
        }
    }
}

/// An activity file split into its TOML front matter and its Markdown.
pub struct ActivityText<'a> {
    pub front: &'a str,
    pub body: &'a str,
    /// The line of the file where the Markdown starts.
    pub body_line: usize,
}

/// Splits `+++\n<toml>\n+++\n<markdown>`.
pub fn split_front_matter(text: &str) -> Option<ActivityText<'_>> {
    let rest = text
        .strip_prefix("+++\n")
        .or_else(|| text.strip_prefix("+++\r\n"))?;
    let end = rest.find("\n+++")?;
    let front = &rest[..=end];
    let after = &rest[end + 4..];
    let body = after.split_once('\n').map_or("", |(_, body)| body);
    Some(ActivityText {
        front,
        body,
        body_line: line_of(text, text.len() - body.len()),
    })
}

/// The line of `key = …` or `[[key]]` in TOML text, for problems found after parsing.
pub fn line_of_key(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|line| {
            let line = line.trim_start();
            let bare = line.trim_start_matches('[').trim_end_matches(']');
            bare == key
                || line
                    .strip_prefix(key)
                    .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map(|index| index + 1)
}

/// The line where `needle` first appears in `text`.
pub fn line_of_text(text: &str, needle: &str) -> Option<usize> {
    text.find(needle).map(|offset| line_of(text, offset))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_counts_lines() {
        let text = "+++\nid = \"a\"\n+++\nTesto\n";
        let split = split_front_matter(text).unwrap();
        assert_eq!(split.front, "id = \"a\"\n");
        assert_eq!(split.body, "Testo\n");
        assert_eq!(split.body_line, 4);
        assert!(split_front_matter("Testo senza intestazione").is_none());
    }

    #[test]
    fn finds_keys_and_tables() {
        let text = "id = \"a\"\npass_mark = 60\n\n[[questions]]\ntype = \"single\"\n";
        assert_eq!(line_of_key(text, "pass_mark"), Some(2));
        assert_eq!(line_of_key(text, "questions"), Some(4));
        assert_eq!(line_of_key(text, "steps"), None);
    }
}
