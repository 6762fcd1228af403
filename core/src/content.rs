//! The programme's content as the server serves it and the app caches it: the bundle.
//! Programme → paths → modules → activities, plus badges.

use crate::i18n::Localized;
use serde::{Deserialize, Serialize};

/// The whole programme, versioned by a hash of its sources.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Bundle {
    pub content_version: String,
    pub paths: Vec<Path>,
    pub badges: Vec<Badge>,
}

/// Who a path is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    Learners,
    Family,
    Startups,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Path {
    pub id: String,
    pub title: Localized,
    pub summary: Localized,
    pub audience: Audience,
    pub edition: String,
    pub modules: Vec<Module>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Module {
    pub id: String,
    pub title: Localized,
    pub activities: Vec<Activity>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActivityKind {
    Lesson,
    Quiz,
    Challenge,
    FamilyTask,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    pub id: String,
    pub kind: ActivityKind,
    pub title: Localized,
    /// Sanitised HTML rendered by the server from the activity's Markdown.
    pub body_html: Localized,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minutes: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub xp: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Badge {
    pub id: String,
    pub name: Localized,
    pub description: Localized,
}

/// Where an activity sits in the programme.
#[derive(Debug, Clone, Copy)]
pub struct ActivityRef<'a> {
    pub path: &'a Path,
    pub module: &'a Module,
    pub activity: &'a Activity,
}

impl Bundle {
    pub fn path(&self, id: &str) -> Option<&Path> {
        self.paths.iter().find(|p| p.id == id)
    }

    pub fn activity(&self, id: &str) -> Option<ActivityRef<'_>> {
        self.paths.iter().find_map(|path| {
            path.modules.iter().find_map(|module| {
                let activity = module.activities.iter().find(|a| a.id == id)?;
                Some(ActivityRef { path, module, activity })
            })
        })
    }
}

impl Path {
    pub fn activities(&self) -> impl Iterator<Item = &Activity> {
        self.modules.iter().flat_map(|m| m.activities.iter())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn sample_bundle() -> Bundle {
        let activity = |id: &str, kind| Activity {
            id: id.into(),
            kind,
            title: Localized::it(id),
            body_html: Localized::it("<p>testo</p>"),
            minutes: Some(5),
            xp: None,
        };
        Bundle {
            content_version: "v1".into(),
            paths: vec![Path {
                id: "space-camp".into(),
                title: Localized::it("Space Camp"),
                summary: Localized::it("Orbite e razzi"),
                audience: Audience::Learners,
                edition: "2022".into(),
                modules: vec![Module {
                    id: "orbite".into(),
                    title: Localized::it("Orbite"),
                    activities: vec![
                        activity("orbite-intro", ActivityKind::Lesson),
                        activity("orbite-quiz", ActivityKind::Quiz),
                    ],
                }],
            }],
            badges: vec![],
        }
    }

    #[test]
    fn finds_activities_with_their_path_and_module() {
        let bundle = sample_bundle();
        let found = bundle.activity("orbite-quiz").expect("activity exists");
        assert_eq!(found.path.id, "space-camp");
        assert_eq!(found.module.id, "orbite");
        assert_eq!(found.activity.kind, ActivityKind::Quiz);
        assert!(bundle.activity("nessuna").is_none());
        assert_eq!(bundle.path("space-camp").unwrap().activities().count(), 2);
    }

    #[test]
    fn kinds_use_the_wire_names() {
        let json = serde_json::to_value(ActivityKind::FamilyTask).unwrap();
        assert_eq!(json, "family_task");
        let audience: Audience = serde_json::from_value("startups".into()).unwrap();
        assert_eq!(audience, Audience::Startups);
    }
}
