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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ages: Option<String>,
    /// URL of the cover image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cover: Option<String>,
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
    pub title: Localized,
    /// Sanitised HTML rendered by the server from the activity's Markdown.
    pub body_html: Localized,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minutes: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub xp: Option<u32>,
    /// Activities to do first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prerequisites: Vec<String>,
    /// What only this kind of activity has; serialised as `"kind"` plus its fields.
    #[serde(flatten)]
    pub details: Details,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Details {
    Lesson,
    Quiz(Quiz),
    Challenge(Challenge),
    FamilyTask(FamilyTask),
}

impl Activity {
    pub fn kind(&self) -> ActivityKind {
        match self.details {
            Details::Lesson => ActivityKind::Lesson,
            Details::Quiz(_) => ActivityKind::Quiz,
            Details::Challenge(_) => ActivityKind::Challenge,
            Details::FamilyTask(_) => ActivityKind::FamilyTask,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quiz {
    /// Percent of questions answered right needed to pass.
    pub pass_mark: u8,
    pub questions: Vec<Question>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Question {
    /// Exactly one option is right.
    Single { prompt: Localized, options: Vec<Choice> },
    /// Every right option must be chosen, and no wrong one.
    Multiple { prompt: Localized, options: Vec<Choice> },
    /// A number within `tolerance` of `answer`.
    Number {
        prompt: Localized,
        answer: f64,
        #[serde(default)]
        tolerance: f64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        unit: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        feedback: Option<Localized>,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    pub text: Localized,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub correct: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub feedback: Option<Localized>,
}

/// What a learner submits for a challenge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Evidence {
    Text,
    Photo,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Challenge {
    pub evidence: Vec<Evidence>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub materials: Vec<Localized>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub safety: Vec<Localized>,
    pub steps: Vec<Localized>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FamilyTask {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub materials: Vec<Localized>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub safety: Vec<Localized>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<Localized>,
    /// The question parent and child both answer at the end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reflection: Option<Localized>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Badge {
    pub id: String,
    pub name: Localized,
    pub description: Localized,
    /// URL of the badge's image.
    pub image: String,
    pub criteria: Criteria,
}

/// When a badge is earned, as data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Criteria {
    ActivitiesCompleted { activities: Vec<String> },
    ModuleCompleted { module: String },
    PathCompleted { path: String },
    QuizPassed { activity: String },
    ChallengesApproved {
        count: u32,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        path: Option<String>,
    },
    FamilyTasksConfirmed {
        count: u32,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        path: Option<String>,
    },
    WeeklyStreak { weeks: u32 },
    Awarded,
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

    pub fn module(&self, id: &str) -> Option<&Module> {
        self.paths.iter().flat_map(|p| p.modules.iter()).find(|m| m.id == id)
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
        let activity = |id: &str, details| Activity {
            id: id.into(),
            title: Localized::it(id),
            body_html: Localized::it("<p>testo</p>"),
            minutes: Some(5),
            xp: None,
            prerequisites: vec![],
            details,
        };
        let quiz = Details::Quiz(Quiz {
            pass_mark: 60,
            questions: vec![Question::Number {
                prompt: Localized::it("Quota della ISS in km?"),
                answer: 400.0,
                tolerance: 30.0,
                unit: Some("km".into()),
                feedback: None,
            }],
        });
        Bundle {
            content_version: "v1".into(),
            paths: vec![Path {
                id: "space-camp".into(),
                title: Localized::it("Space Camp"),
                summary: Localized::it("Orbite e razzi"),
                audience: Audience::Learners,
                edition: "2022".into(),
                ages: None,
                cover: None,
                modules: vec![Module {
                    id: "orbite".into(),
                    title: Localized::it("Orbite"),
                    activities: vec![
                        activity("orbite-intro", Details::Lesson),
                        activity("orbite-quiz", quiz),
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
        assert_eq!(found.activity.kind(), ActivityKind::Quiz);
        assert_eq!(bundle.module("orbite").unwrap().activities.len(), 2);
        assert!(bundle.activity("nessuna").is_none());
        assert_eq!(bundle.path("space-camp").unwrap().activities().count(), 2);
    }

    #[test]
    fn activities_serialise_flat_with_their_kind() {
        let bundle = sample_bundle();
        let json = serde_json::to_value(&bundle.paths[0].modules[0].activities).unwrap();
        assert_eq!(json[0]["kind"], "lesson");
        assert_eq!(json[1]["kind"], "quiz");
        assert_eq!(json[1]["pass_mark"], 60);
        assert_eq!(json[1]["questions"][0]["type"], "number");
        let back: Vec<Activity> = serde_json::from_value(json).unwrap();
        assert_eq!(back, bundle.paths[0].modules[0].activities);
    }

    #[test]
    fn criteria_are_tagged_data() {
        let criteria: Criteria = serde_json::from_value(serde_json::json!({"type": "challenges_approved", "count": 3})).unwrap();
        assert_eq!(criteria, Criteria::ChallengesApproved { count: 3, path: None });
        let unknown = serde_json::json!({"type": "module_completed", "module": "m", "extra": 1});
        assert!(serde_json::from_value::<Criteria>(unknown).is_err());
    }

    #[test]
    fn kinds_use_the_wire_names() {
        let json = serde_json::to_value(ActivityKind::FamilyTask).unwrap();
        assert_eq!(json, "family_task");
        let audience: Audience = serde_json::from_value("startups".into()).unwrap();
        assert_eq!(audience, Audience::Startups);
    }
}
