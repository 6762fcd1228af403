//! The programme's content as the server serves it and the app caches it: the bundle.
//! Programme → paths → modules → activities, plus badges and the self-assessment questionnaire.

use crate::i18n::Localized;
use serde::{Deserialize, Deserializer, Serialize};

mod fields;
pub(crate) mod read;

pub use fields::{Fault, FieldProblem, KIND_FIELDS, KindFields, Use};

/// The whole programme, versioned by a hash of its sources.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Bundle {
    pub content_version: String,
    pub paths: Vec<Path>,
    pub badges: Vec<Badge>,
    /// Absent from bundles made before it existed, which an app may still hold.
    #[serde(default)]
    pub self_assessment: SelfAssessment,
}

/// Read in one piece by the apps, through `read` (smaller wasm than derived readers).
impl<'de> Deserialize<'de> for Bundle {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        read::bundle(serde_json::Value::deserialize(deserializer)?)
            .map_err(serde::de::Error::custom)
    }
}

/// The digital-skills questionnaire asked at the start and at the end of every path.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SelfAssessment {
    pub statements: Vec<Localized>,
    /// The labels of the answers 1 to [`crate::payload::SCALE_POINTS`], lowest first.
    pub scale: Vec<Localized>,
}

/// Who a path is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    Learners,
    Family,
    Startups,
}

/// The strand of Social STEAMcamp a path belongs to: which of the programme's targets a cohort on
/// it counts towards (see `impact`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Programme {
    SpaceCamp,
    Steamcamp,
    SteamcampFamily,
    InCommunity,
}

impl Programme {
    pub const ALL: [Programme; 4] = [
        Self::SpaceCamp,
        Self::Steamcamp,
        Self::SteamcampFamily,
        Self::InCommunity,
    ];

    /// Its name, the same in Italian and English.
    pub fn name(self) -> &'static str {
        match self {
            Self::SpaceCamp => "Space Camp",
            Self::Steamcamp => "STEAMcamp",
            Self::SteamcampFamily => "STEAMcamp Family",
            Self::InCommunity => "IN-Community",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Path {
    pub id: String,
    pub title: Localized,
    pub summary: Localized,
    pub audience: Audience,
    /// Always set by the server's content compiler (`path.toml` requires it); optional only so
    /// that a bundle cached on a phone before this field existed still reads offline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub programme: Option<Programme>,
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
#[serde(try_from = "RawActivity")]
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

/// Only serialised, flattened into [`Activity`]; reading goes through `RawActivity`.
#[derive(Debug, Clone, PartialEq, Serialize)]
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
#[serde(tag = "type", rename_all = "snake_case", try_from = "RawQuestion")]
pub enum Question {
    /// Exactly one option is right.
    Single {
        prompt: Localized,
        options: Vec<Choice>,
    },
    /// Every right option must be chosen, and no wrong one.
    Multiple {
        prompt: Localized,
        options: Vec<Choice>,
    },
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
#[serde(tag = "type", rename_all = "snake_case", try_from = "RawCriteria")]
pub enum Criteria {
    ActivitiesCompleted {
        activities: Vec<String>,
    },
    ModuleCompleted {
        module: String,
    },
    PathCompleted {
        path: String,
    },
    QuizPassed {
        activity: String,
    },
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
    WeeklyStreak {
        weeks: u32,
    },
    Awarded,
}

// Reading. Serde implements `flatten` and internally tagged enums by buffering each value into
// its generic `Content`, which costs tens of KB of wasm. Instead each of these types is read as one
// flat struct with every kind-specific field optional, then checked and converted: the same JSON
// and TOML, the same unknown-field errors, and clearer messages for missing fields.

#[derive(Deserialize)]
struct RawActivity {
    id: String,
    title: Localized,
    body_html: Localized,
    minutes: Option<u32>,
    xp: Option<u32>,
    #[serde(default)]
    prerequisites: Vec<String>,
    kind: ActivityKind,
    pass_mark: Option<u8>,
    questions: Option<Vec<Question>>,
    evidence: Option<Vec<Evidence>>,
    materials: Option<Vec<Localized>>,
    safety: Option<Vec<Localized>>,
    steps: Option<Vec<Localized>>,
    reflection: Option<Localized>,
}

impl TryFrom<RawActivity> for Activity {
    type Error = String;

    /// Ignores unknown fields, as the flattened `Details` it replaces did, so that an older app
    /// still reads a newer bundle; fields of another kind are refused by [`KindFields`].
    fn try_from(raw: RawActivity) -> Result<Self, String> {
        let fields = KindFields {
            pass_mark: raw.pass_mark,
            questions: raw.questions,
            evidence: raw.evidence,
            materials: raw.materials,
            safety: raw.safety,
            steps: raw.steps,
            reflection: raw.reflection,
        };
        let details = fields.details(raw.kind).map_err(|p| p.to_string())?;
        Ok(Self {
            id: raw.id,
            title: raw.title,
            body_html: raw.body_html,
            minutes: raw.minutes,
            xp: raw.xp,
            prerequisites: raw.prerequisites,
            details,
        })
    }
}

#[derive(Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
enum QuestionType {
    Single,
    Multiple,
    Number,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    #[serde(rename = "type")]
    kind: QuestionType,
    prompt: Localized,
    options: Option<Vec<Choice>>,
    answer: Option<f64>,
    tolerance: Option<f64>,
    unit: Option<String>,
    feedback: Option<Localized>,
}

impl TryFrom<RawQuestion> for Question {
    type Error = String;

    fn try_from(raw: RawQuestion) -> Result<Self, String> {
        let (what, allowed): (_, &[_]) = match raw.kind {
            QuestionType::Single => ("una domanda `single`", &["options"]),
            QuestionType::Multiple => ("una domanda `multiple`", &["options"]),
            QuestionType::Number => (
                "una domanda `number`",
                &["answer", "tolerance", "unit", "feedback"],
            ),
        };
        let present = [
            ("options", raw.options.is_some()),
            ("answer", raw.answer.is_some()),
            ("tolerance", raw.tolerance.is_some()),
            ("unit", raw.unit.is_some()),
            ("feedback", raw.feedback.is_some()),
        ];
        only_allowed(&present, allowed, what)?;
        let prompt = raw.prompt;
        Ok(match raw.kind {
            QuestionType::Single => Question::Single {
                prompt,
                options: required(raw.options, "options", what)?,
            },
            QuestionType::Multiple => Question::Multiple {
                prompt,
                options: required(raw.options, "options", what)?,
            },
            QuestionType::Number => Question::Number {
                prompt,
                answer: required(raw.answer, "answer", what)?,
                tolerance: raw.tolerance.unwrap_or(0.0),
                unit: raw.unit,
                feedback: raw.feedback,
            },
        })
    }
}

#[derive(Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
enum CriteriaType {
    ActivitiesCompleted,
    ModuleCompleted,
    PathCompleted,
    QuizPassed,
    ChallengesApproved,
    FamilyTasksConfirmed,
    WeeklyStreak,
    Awarded,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCriteria {
    #[serde(rename = "type")]
    kind: CriteriaType,
    activities: Option<Vec<String>>,
    module: Option<String>,
    path: Option<String>,
    activity: Option<String>,
    count: Option<u32>,
    weeks: Option<u32>,
}

impl TryFrom<RawCriteria> for Criteria {
    type Error = String;

    fn try_from(raw: RawCriteria) -> Result<Self, String> {
        use CriteriaType as T;
        let (what, allowed): (_, &[_]) = match raw.kind {
            T::ActivitiesCompleted => ("un criterio `activities_completed`", &["activities"]),
            T::ModuleCompleted => ("un criterio `module_completed`", &["module"]),
            T::PathCompleted => ("un criterio `path_completed`", &["path"]),
            T::QuizPassed => ("un criterio `quiz_passed`", &["activity"]),
            T::ChallengesApproved => ("un criterio `challenges_approved`", &["count", "path"]),
            T::FamilyTasksConfirmed => ("un criterio `family_tasks_confirmed`", &["count", "path"]),
            T::WeeklyStreak => ("un criterio `weekly_streak`", &["weeks"]),
            T::Awarded => ("un criterio `awarded`", &[]),
        };
        let present = [
            ("activities", raw.activities.is_some()),
            ("module", raw.module.is_some()),
            ("path", raw.path.is_some()),
            ("activity", raw.activity.is_some()),
            ("count", raw.count.is_some()),
            ("weeks", raw.weeks.is_some()),
        ];
        only_allowed(&present, allowed, what)?;
        Ok(match raw.kind {
            T::ActivitiesCompleted => Criteria::ActivitiesCompleted {
                activities: required(raw.activities, "activities", what)?,
            },
            T::ModuleCompleted => Criteria::ModuleCompleted {
                module: required(raw.module, "module", what)?,
            },
            T::PathCompleted => Criteria::PathCompleted {
                path: required(raw.path, "path", what)?,
            },
            T::QuizPassed => Criteria::QuizPassed {
                activity: required(raw.activity, "activity", what)?,
            },
            T::ChallengesApproved => Criteria::ChallengesApproved {
                count: required(raw.count, "count", what)?,
                path: raw.path,
            },
            T::FamilyTasksConfirmed => Criteria::FamilyTasksConfirmed {
                count: required(raw.count, "count", what)?,
                path: raw.path,
            },
            T::WeeklyStreak => Criteria::WeeklyStreak {
                weeks: required(raw.weeks, "weeks", what)?,
            },
            T::Awarded => Criteria::Awarded,
        })
    }
}

/// A field its kind needs; `what` names the kind, e.g. "una domanda `single`".
fn required<T>(value: Option<T>, field: &str, what: &str) -> Result<T, String> {
    value.ok_or_else(|| format!("manca il campo `{field}`, obbligatorio per {what}"))
}

/// Fields of another kind are errors, as they were when each kind had its own `deny_unknown_fields`.
fn only_allowed(present: &[(&str, bool)], allowed: &[&str], what: &str) -> Result<(), String> {
    match present
        .iter()
        .find(|(field, here)| *here && !allowed.contains(field))
    {
        Some((field, _)) => Err(format!("il campo `{field}` non si usa in {what}")),
        None => Ok(()),
    }
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
        self.paths
            .iter()
            .flat_map(|p| p.modules.iter())
            .find(|m| m.id == id)
    }

    pub fn activity(&self, id: &str) -> Option<ActivityRef<'_>> {
        self.paths.iter().find_map(|path| {
            path.modules.iter().find_map(|module| {
                let activity = module.activities.iter().find(|a| a.id == id)?;
                Some(ActivityRef {
                    path,
                    module,
                    activity,
                })
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
                programme: Some(Programme::SpaceCamp),
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
            self_assessment: SelfAssessment {
                statements: vec![
                    Localized::it("So creare una password sicura."),
                    Localized::it("So riconoscere una truffa online."),
                ],
                scale: ["Per niente", "Poco", "Abbastanza", "Molto"]
                    .map(Localized::it)
                    .to_vec(),
            },
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
        let criteria: Criteria =
            serde_json::from_value(serde_json::json!({"type": "challenges_approved", "count": 3}))
                .unwrap();
        assert_eq!(
            criteria,
            Criteria::ChallengesApproved {
                count: 3,
                path: None
            }
        );
        let unknown = serde_json::json!({"type": "module_completed", "module": "m", "extra": 1});
        assert!(serde_json::from_value::<Criteria>(unknown).is_err());
    }

    fn round_trip<T: Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug>(
        value: T,
    ) {
        let json = serde_json::to_string(&value).unwrap();
        let back: T = serde_json::from_str(&json).unwrap_or_else(|err| panic!("{json}: {err}"));
        assert_eq!(back, value, "{json}");
    }

    fn error<T: serde::de::DeserializeOwned + std::fmt::Debug>(json: serde_json::Value) -> String {
        serde_json::from_value::<T>(json).unwrap_err().to_string()
    }

    #[test]
    fn every_kind_of_activity_and_question_round_trips() {
        let choice = |text: &str, correct| Choice {
            text: Localized::it(text),
            correct,
            feedback: None,
        };
        let options = vec![
            choice("sì", true),
            Choice {
                feedback: Some(Localized::it("no")),
                ..choice("no", false)
            },
        ];
        let quiz = Details::Quiz(Quiz {
            pass_mark: 50,
            questions: vec![
                Question::Single {
                    prompt: Localized::it("Una?"),
                    options: options.clone(),
                },
                Question::Multiple {
                    prompt: Localized::it("Più?"),
                    options,
                },
                Question::Number {
                    prompt: Localized::it("Quanto?"),
                    answer: 4.5,
                    tolerance: 0.0,
                    unit: None,
                    feedback: None,
                },
                Question::Number {
                    prompt: Localized::it("Quanto?"),
                    answer: 400.0,
                    tolerance: 30.0,
                    unit: Some("km".into()),
                    feedback: Some(Localized::it("Circa 400 km")),
                },
            ],
        });
        let steps = vec![Localized::it("Primo passo")];
        let challenge = Details::Challenge(Challenge {
            evidence: vec![Evidence::Text, Evidence::Photo],
            materials: vec![Localized::it("Una bottiglia")],
            safety: vec![],
            steps: steps.clone(),
        });
        let evidence = vec![Evidence::Photo];
        let bare_challenge = Details::Challenge(Challenge {
            evidence,
            materials: vec![],
            safety: vec![],
            steps: steps.clone(),
        });
        let family = Details::FamilyTask(FamilyTask {
            materials: vec![],
            safety: vec![Localized::it("Con un adulto")],
            steps,
            reflection: Some(Localized::it("Che cosa avete imparato?")),
        });
        let empty_family = Details::FamilyTask(FamilyTask {
            materials: vec![],
            safety: vec![],
            steps: vec![],
            reflection: None,
        });
        for details in [
            Details::Lesson,
            quiz,
            challenge,
            bare_challenge,
            family,
            empty_family,
        ] {
            let activity = Activity {
                id: "a".into(),
                title: Localized {
                    it: "Titolo".into(),
                    en: Some("Title".into()),
                },
                body_html: Localized::it("<p>testo</p>"),
                minutes: Some(10),
                xp: Some(5),
                prerequisites: vec!["b".into()],
                details,
            };
            round_trip(activity);
        }
        round_trip(sample_bundle());
    }

    #[test]
    fn every_criteria_round_trips() {
        for criteria in [
            Criteria::ActivitiesCompleted {
                activities: vec!["a".into(), "b".into()],
            },
            Criteria::ModuleCompleted { module: "m".into() },
            Criteria::PathCompleted { path: "p".into() },
            Criteria::QuizPassed {
                activity: "q".into(),
            },
            Criteria::ChallengesApproved {
                count: 3,
                path: None,
            },
            Criteria::ChallengesApproved {
                count: 3,
                path: Some("p".into()),
            },
            Criteria::FamilyTasksConfirmed {
                count: 2,
                path: None,
            },
            Criteria::FamilyTasksConfirmed {
                count: 2,
                path: Some("p".into()),
            },
            Criteria::WeeklyStreak { weeks: 4 },
            Criteria::Awarded,
        ] {
            round_trip(criteria);
        }
    }

    #[test]
    fn a_missing_field_names_the_kind_that_needs_it() {
        let prompt = serde_json::json!({"it": "Quale?"});
        let message = error::<Question>(serde_json::json!({"type": "single", "prompt": prompt}));
        assert_eq!(
            message,
            "manca il campo `options`, obbligatorio per una domanda `single`"
        );
        let message = error::<Question>(
            serde_json::json!({"type": "number", "prompt": prompt, "tolerance": 1}),
        );
        assert_eq!(
            message,
            "manca il campo `answer`, obbligatorio per una domanda `number`"
        );
        let message = error::<Criteria>(serde_json::json!({"type": "weekly_streak"}));
        assert_eq!(
            message,
            "manca il campo `weeks`, obbligatorio per un criterio `weekly_streak`"
        );
        let mut quiz =
            serde_json::to_value(&sample_bundle().paths[0].modules[0].activities[1]).unwrap();
        quiz.as_object_mut().unwrap().remove("questions");
        assert_eq!(
            error::<Activity>(quiz),
            "manca il campo `questions`, obbligatorio per un quiz"
        );
        // Fields every kind has are still reported by serde.
        assert!(
            error::<Question>(serde_json::json!({"type": "single"}))
                .contains("missing field `prompt`")
        );
        assert!(
            error::<Criteria>(serde_json::json!({"module": "m"})).contains("missing field `type`")
        );
    }

    #[test]
    fn unknown_fields_and_fields_of_another_kind_are_errors() {
        let prompt = serde_json::json!({"it": "Quale?"});
        let message = error::<Question>(
            serde_json::json!({"type": "number", "prompt": prompt, "answer": 1, "colore": "blu"}),
        );
        assert!(message.contains("unknown field `colore`"), "{message}");
        let single = serde_json::json!({"type": "single", "prompt": prompt, "options": [], "feedback": prompt});
        let message = error::<Question>(single);
        assert_eq!(
            message,
            "il campo `feedback` non si usa in una domanda `single`"
        );
        let message = error::<Criteria>(
            serde_json::json!({"type": "module_completed", "module": "m", "path": "p"}),
        );
        assert_eq!(
            message,
            "il campo `path` non si usa in un criterio `module_completed`"
        );
        let message = error::<Criteria>(serde_json::json!({"type": "awarded", "count": 1}));
        assert_eq!(
            message,
            "il campo `count` non si usa in un criterio `awarded`"
        );
        assert!(
            error::<Criteria>(serde_json::json!({"type": "vinto"}))
                .contains("unknown variant `vinto`")
        );
    }

    #[test]
    fn activities_ignore_unknown_fields_but_refuse_those_of_another_kind() {
        // As with the flattened `Details` before: an older app still reads a newer bundle.
        let mut lesson =
            serde_json::to_value(&sample_bundle().paths[0].modules[0].activities[0]).unwrap();
        lesson["novita"] = serde_json::json!(true);
        let activity: Activity = serde_json::from_value(lesson.clone()).unwrap();
        assert_eq!(activity, sample_bundle().paths[0].modules[0].activities[0]);
        lesson["steps"] = serde_json::json!([{"it": "Un passo"}]);
        assert_eq!(
            error::<Activity>(lesson),
            "il campo `steps` non si usa in una lezione"
        );
    }

    #[test]
    fn a_bundle_from_before_the_questionnaire_still_reads() {
        let mut json = serde_json::to_value(sample_bundle()).unwrap();
        assert_eq!(json["self_assessment"]["scale"][3]["it"], "Molto");
        json.as_object_mut().unwrap().remove("self_assessment");
        let bundle: Bundle = serde_json::from_value(json).unwrap();
        assert_eq!(bundle.self_assessment, SelfAssessment::default());
        assert_eq!(bundle.paths, sample_bundle().paths);
    }

    #[test]
    fn kinds_use_the_wire_names() {
        let json = serde_json::to_value(ActivityKind::FamilyTask).unwrap();
        assert_eq!(json, "family_task");
        let audience: Audience = serde_json::from_value("startups".into()).unwrap();
        assert_eq!(audience, Audience::Startups);
        let names: Vec<_> = Programme::ALL
            .iter()
            .map(|p| serde_json::to_value(p).unwrap())
            .collect();
        assert_eq!(
            names,
            [
                "space-camp",
                "steamcamp",
                "steamcamp-family",
                "in-community"
            ]
        );
        // A bundle cached before paths had a programme still reads.
        let mut old = serde_json::to_value(&sample_bundle().paths[0]).unwrap();
        assert_eq!(old["programme"], "space-camp");
        old.as_object_mut().unwrap().remove("programme");
        let path: Path = serde_json::from_value(old).unwrap();
        assert_eq!(path.programme, None);
    }
}
