//! Reading a whole bundle, as the apps do (the server only writes bundles). The JSON is parsed
//! into a `serde_json::Value`, whose parser the apps carry anyway for events' `data`, and turned
//! into the content model by the plain functions below. Deriving `Deserialize` down the tree
//! compiled one serde_json copy per struct and list type into the wasm (about 40 KB, see
//! BENCHMARKS.md); these functions are a fraction of that. The derived readers of the parts stay
//! for the server, which checks each file of `content/` with them and their clear messages.
//!
//! A bundle that reads with the derived readers reads to the same value here; missing or
//! mistyped fields are errors, and so are fields of another kind of activity and empty required
//! lists (by the table in `fields`); `null` counts as absent where a field may be absent.
//! `Fields` is the one reader the apps' other hand-read types (journal, sync answers, session)
//! use too.

use super::{
    Activity, ActivityKind, Audience, Badge, Bundle, Challenge, Choice, Criteria, Details,
    Evidence, FamilyTask, Fault, KIND_FIELDS, Module, Path, Programme, Question, Quiz,
    SelfAssessment,
};
use crate::i18n::Localized;
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};
use uuid::Uuid;

pub(crate) type Read<T> = Result<T, String>;
pub(crate) type Object = Map<String, Value>;

/// A `Deserialize` implementation that reads the JSON as a `Value`, then with `read`.
pub(crate) fn via_value<'de, D: Deserializer<'de>, T>(
    deserializer: D,
    read: fn(Value) -> Read<T>,
) -> Result<T, D::Error> {
    read(Value::deserialize(deserializer)?).map_err(serde::de::Error::custom)
}

pub(super) fn bundle(value: Value) -> Read<Bundle> {
    let mut f = Fields::of(value);
    let bundle = Bundle {
        content_version: f.string("content_version"),
        paths: f.list("paths", path),
        badges: f.list("badges", badge),
        self_assessment: f
            .optional("self_assessment", self_assessment)
            .unwrap_or_default(),
    };
    f.done(bundle)
}

/// The fields of one JSON object, each taken out once. A problem does not return at once (the
/// early returns, each dropping what was read so far, were most of this module's wasm): it is
/// kept, a placeholder read instead, and `done` reports the first one.
pub(crate) struct Fields {
    object: Object,
    error: Option<String>,
}

impl Fields {
    pub(crate) fn of(value: Value) -> Self {
        let mut fields = Self {
            object: Object::new(),
            error: None,
        };
        match object(value) {
            Ok(object) => fields.object = object,
            Err(err) => fields.fail(err),
        }
        fields
    }

    fn fail(&mut self, error: String) {
        self.error.get_or_insert(error);
    }

    /// The value read, or the first problem.
    pub(crate) fn done<T>(self, value: T) -> Read<T> {
        match self.error {
            None => Ok(value),
            Some(error) => Err(error),
        }
    }

    /// A field that may be absent (or `null`).
    pub(crate) fn optional<T>(&mut self, key: &str, read: fn(Value) -> Read<T>) -> Option<T> {
        match self.object.remove(key) {
            None | Some(Value::Null) => None,
            Some(value) => read(value).map_err(|err| self.fail(err)).ok(),
        }
    }

    /// A field that must be there.
    pub(crate) fn required<T>(&mut self, key: &str, read: fn(Value) -> Read<T>) -> Option<T> {
        match self.object.remove(key) {
            None => {
                self.fail(missing_field(key));
                None
            }
            Some(value) => read(value).map_err(|err| self.fail(err)).ok(),
        }
    }

    pub(crate) fn string(&mut self, key: &str) -> String {
        self.required(key, string).unwrap_or_default()
    }

    pub(crate) fn list<T>(&mut self, key: &str, read: fn(Value) -> Read<T>) -> Vec<T> {
        self.required(key, Ok)
            .map(|value| {
                list(value, read)
                    .map_err(|err| self.fail(err))
                    .unwrap_or_default()
            })
            .unwrap_or_default()
    }

    /// A list that may be absent.
    fn texts(&mut self, key: &str) -> Vec<Localized> {
        self.optional(key, |value| list(value, localized))
            .unwrap_or_default()
    }

    pub(crate) fn localized(&mut self, key: &str) -> Localized {
        self.required(key, localized).unwrap_or_default()
    }

    /// A variant's name, `""` when it is not there.
    pub(crate) fn name(&mut self, key: &str) -> String {
        self.string(key)
    }

    /// Records a field not read yet as unknown.
    pub(crate) fn deny_unknown(&mut self) {
        if let Some(key) = self.object.keys().next() {
            let error = unknown_field(key);
            self.fail(error);
        }
    }

    /// Records an unknown variant (after a missing one, which was recorded first).
    pub(crate) fn unknown(&mut self, name: &str) {
        self.fail(unknown(name));
    }
}

fn self_assessment(value: Value) -> Read<SelfAssessment> {
    let mut f = Fields::of(value);
    let questionnaire = SelfAssessment {
        statements: f.list("statements", localized),
        scale: f.list("scale", localized),
    };
    f.done(questionnaire)
}

fn path(value: Value) -> Read<Path> {
    let mut f = Fields::of(value);
    let audience = f.name("audience");
    let path = Path {
        id: f.string("id"),
        title: f.localized("title"),
        summary: f.localized("summary"),
        audience: match audience.as_str() {
            "family" => Audience::Family,
            "startups" => Audience::Startups,
            other => {
                if other != "learners" {
                    f.unknown(other);
                }
                Audience::Learners
            }
        },
        programme: f.optional("programme", programme),
        edition: f.string("edition"),
        ages: f.optional("ages", string),
        cover: f.optional("cover", string),
        modules: f.list("modules", module),
    };
    f.done(path)
}

fn programme(value: Value) -> Read<Programme> {
    let name = name(value)?;
    Programme::ALL
        .into_iter()
        .find(|p| wire_name(*p) == name)
        .ok_or_else(|| unknown(&name))
}

fn wire_name(programme: Programme) -> &'static str {
    match programme {
        Programme::SpaceCamp => "space-camp",
        Programme::Steamcamp => "steamcamp",
        Programme::SteamcampFamily => "steamcamp-family",
        Programme::InCommunity => "in-community",
    }
}

fn module(value: Value) -> Read<Module> {
    let mut f = Fields::of(value);
    let module = Module {
        id: f.string("id"),
        title: f.localized("title"),
        activities: f.list("activities", activity),
    };
    f.done(module)
}

fn activity(value: Value) -> Read<Activity> {
    let mut f = Fields::of(value);
    let kind = match f.name("kind").as_str() {
        "quiz" => ActivityKind::Quiz,
        "challenge" => ActivityKind::Challenge,
        "family_task" => ActivityKind::FamilyTask,
        other => {
            if other != "lesson" {
                f.unknown(other);
            }
            ActivityKind::Lesson
        }
    };
    fit(&mut f, kind);
    // Built here rather than through `KindFields`, which cost the wasm hundreds of bytes.
    let details = match kind {
        ActivityKind::Lesson => Details::Lesson,
        ActivityKind::Quiz => Details::Quiz(Quiz {
            pass_mark: f.required("pass_mark", number).unwrap_or_default(),
            questions: f.list("questions", question),
        }),
        ActivityKind::Challenge => Details::Challenge(Challenge {
            evidence: f.list("evidence", evidence),
            materials: f.texts("materials"),
            safety: f.texts("safety"),
            steps: f.list("steps", localized),
        }),
        ActivityKind::FamilyTask => Details::FamilyTask(FamilyTask {
            materials: f.texts("materials"),
            safety: f.texts("safety"),
            steps: f.texts("steps"),
            reflection: f.optional("reflection", localized),
        }),
    };
    let activity = Activity {
        id: f.string("id"),
        title: f.localized("title"),
        body_html: f.localized("body_html"),
        minutes: f.optional("minutes", number),
        xp: f.optional("xp", number),
        prerequisites: f
            .optional("prerequisites", |v| list(v, string))
            .unwrap_or_default(),
        details,
    };
    f.done(activity)
}

/// Records the first field of an activity that does not fit `kind` by core's table, in the words
/// of other fields' errors (the server's Italian ones would grow the wasm): a field of another
/// kind is unknown, an empty required list is missing.
fn fit(f: &mut Fields, kind: ActivityKind) {
    for (field, usage) in KIND_FIELDS.into_iter().zip(kind.fields()) {
        let value = f.object.get(field).filter(|value| !value.is_null());
        let found = value.map(|value| value.as_array().is_some_and(Vec::is_empty));
        match usage.fault(found) {
            Some(Fault::NotAllowed) => f.fail(unknown_field(field)),
            Some(Fault::Missing | Fault::Empty) => f.fail(missing_field(field)),
            None => {}
        }
    }
}

fn evidence(value: Value) -> Read<Evidence> {
    match name(value)?.as_str() {
        "text" => Ok(Evidence::Text),
        "photo" => Ok(Evidence::Photo),
        other => Err(unknown(other)),
    }
}

fn question(value: Value) -> Read<Question> {
    let mut f = Fields::of(value);
    let prompt = f.localized("prompt");
    let kind = f.name("type");
    let question = match kind.as_str() {
        "single" => Question::Single {
            prompt,
            options: f.list("options", choice),
        },
        "multiple" => Question::Multiple {
            prompt,
            options: f.list("options", choice),
        },
        other => {
            if other != "number" {
                f.unknown(other);
            }
            Question::Number {
                prompt,
                answer: f.required("answer", float).unwrap_or_default(),
                tolerance: f.optional("tolerance", float).unwrap_or(0.0),
                unit: f.optional("unit", string),
                feedback: f.optional("feedback", localized),
            }
        }
    };
    f.done(question)
}

fn choice(value: Value) -> Read<Choice> {
    let mut f = Fields::of(value);
    let choice = Choice {
        text: f.localized("text"),
        correct: f.optional("correct", boolean).unwrap_or(false),
        feedback: f.optional("feedback", localized),
    };
    f.done(choice)
}

fn badge(value: Value) -> Read<Badge> {
    let mut f = Fields::of(value);
    let badge = Badge {
        id: f.string("id"),
        name: f.localized("name"),
        description: f.localized("description"),
        image: f.string("image"),
        criteria: f
            .required("criteria", criteria)
            .unwrap_or(Criteria::Awarded),
    };
    f.done(badge)
}

fn criteria(value: Value) -> Read<Criteria> {
    let mut f = Fields::of(value);
    let kind = f.name("type");
    let criteria = match kind.as_str() {
        "activities_completed" => Criteria::ActivitiesCompleted {
            activities: f.list("activities", string),
        },
        "module_completed" => Criteria::ModuleCompleted {
            module: f.string("module"),
        },
        "path_completed" => Criteria::PathCompleted {
            path: f.string("path"),
        },
        "quiz_passed" => Criteria::QuizPassed {
            activity: f.string("activity"),
        },
        "challenges_approved" => Criteria::ChallengesApproved {
            count: f.required("count", number).unwrap_or_default(),
            path: f.optional("path", string),
        },
        "family_tasks_confirmed" => Criteria::FamilyTasksConfirmed {
            count: f.required("count", number).unwrap_or_default(),
            path: f.optional("path", string),
        },
        "weekly_streak" => Criteria::WeeklyStreak {
            weeks: f.required("weeks", number).unwrap_or_default(),
        },
        other => {
            if other != "awarded" {
                f.unknown(other);
            }
            Criteria::Awarded
        }
    };
    f.done(criteria)
}

/// A text in Italian (never empty) and maybe English, as `Localized`'s own reader wants it.
fn localized(value: Value) -> Read<Localized> {
    let mut f = Fields::of(value);
    let it = f.string("it");
    if it.trim().is_empty() {
        f.fail("manca il testo in italiano (`it` è vuoto)".into());
    }
    let text = Localized {
        it,
        en: f.optional("en", string),
    };
    f.done(text)
}

pub(crate) fn object(value: Value) -> Read<Object> {
    match value {
        Value::Object(o) => Ok(o),
        other => Err(mistyped(&other)),
    }
}

pub(crate) fn list<T>(value: Value, read: fn(Value) -> Read<T>) -> Read<Vec<T>> {
    match value {
        Value::Array(items) => items.into_iter().map(read).collect(),
        other => Err(mistyped(&other)),
    }
}

pub(crate) fn string(value: Value) -> Read<String> {
    match value {
        Value::String(s) => Ok(s),
        other => Err(mistyped(&other)),
    }
}

/// A variant's name.
pub(crate) fn name(value: Value) -> Read<String> {
    string(value)
}

pub(crate) fn number<T: TryFrom<u64>>(value: Value) -> Read<T> {
    value
        .as_u64()
        .and_then(|n| T::try_from(n).ok())
        .ok_or_else(|| mistyped(&value))
}

fn float(value: Value) -> Read<f64> {
    value.as_f64().ok_or_else(|| mistyped(&value))
}

pub(crate) fn uuid(value: Value) -> Read<Uuid> {
    Uuid::parse_str(&string(value)?).map_err(|err| err.to_string())
}

pub(crate) fn boolean(value: Value) -> Read<bool> {
    value.as_bool().ok_or_else(|| mistyped(&value))
}

pub(crate) fn integer(value: Value) -> Read<i64> {
    value.as_i64().ok_or_else(|| mistyped(&value))
}

pub(crate) fn mistyped(value: &Value) -> String {
    format!("invalid value: {value}")
}

fn missing_field(key: &str) -> String {
    format!("missing field `{key}`")
}

fn unknown_field(key: &str) -> String {
    format!("unknown field `{key}`")
}

pub(crate) fn unknown(variant: &str) -> String {
    format!("unknown variant `{variant}`")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::badges::tests::with_badges;

    /// A bundle with every kind of activity, question and criteria, optional fields set and not.
    fn rich_bundle() -> Bundle {
        let json = serde_json::json!([
            {"id": "l", "title": {"it": "L", "en": "L"}, "body_html": {"it": "<p>x</p>"}, "kind": "lesson",
             "xp": 5, "prerequisites": ["q"]},
            {"id": "q", "title": {"it": "Q"}, "body_html": {"it": "x"}, "kind": "quiz", "pass_mark": 60,
             "minutes": null, "questions": [
                {"type": "single", "prompt": {"it": "?"}, "options": [
                    {"text": {"it": "sì"}, "correct": true}, {"text": {"it": "no"}, "feedback": {"it": "f"}}]},
                {"type": "multiple", "prompt": {"it": "?"}, "options": []},
                {"type": "number", "prompt": {"it": "?"}, "answer": 4},
                {"type": "number", "prompt": {"it": "?"}, "answer": 4.5, "tolerance": 0.5, "unit": "km",
                 "feedback": {"it": "f"}}]},
            {"id": "c", "title": {"it": "C"}, "body_html": {"it": "x"}, "kind": "challenge",
             "evidence": ["text", "photo"], "materials": [{"it": "m"}], "steps": [{"it": "s"}]},
            {"id": "f", "title": {"it": "F"}, "body_html": {"it": "x"}, "kind": "family_task",
             "safety": [{"it": "s"}], "reflection": {"it": "r"}},
            {"id": "g", "title": {"it": "G"}, "body_html": {"it": "x"}, "kind": "family_task"}
        ]);
        let activities = serde_json::from_value(json).unwrap();
        let criteria = serde_json::json!([
            {"type": "activities_completed", "activities": ["l", "q"]},
            {"type": "module_completed", "module": "m"}, {"type": "path_completed", "path": "p"},
            {"type": "quiz_passed", "activity": "q"}, {"type": "challenges_approved", "count": 2},
            {"type": "challenges_approved", "count": 2, "path": "p"},
            {"type": "family_tasks_confirmed", "count": 1, "path": "p"},
            {"type": "weekly_streak", "weeks": 3}, {"type": "awarded"}
        ]);
        let mut bundle = with_badges(serde_json::from_value(criteria).unwrap());
        bundle.paths[0].modules[0].activities = activities;
        bundle
    }

    #[test]
    fn reads_what_the_derived_readers_read() {
        let bundle = rich_bundle();
        let json = serde_json::to_string(&bundle).unwrap();
        let back: Bundle = serde_json::from_str(&json).unwrap();
        assert_eq!(back, bundle);
    }

    #[test]
    fn missing_and_mistyped_fields_are_errors() {
        let mut json = serde_json::to_value(rich_bundle()).unwrap();
        json["paths"][0]["modules"][0]["activities"][1]
            .as_object_mut()
            .unwrap()
            .remove("pass_mark");
        let message = serde_json::from_value::<Bundle>(json.clone())
            .unwrap_err()
            .to_string();
        assert_eq!(message, "missing field `pass_mark`");
        json["paths"][0]["modules"][0]["activities"][1]["pass_mark"] = serde_json::json!(300);
        assert!(serde_json::from_value::<Bundle>(json.clone()).is_err());
        json["paths"][0]["modules"][0]["activities"][1]["pass_mark"] = serde_json::json!(60);
        json["badges"][0]["name"]["it"] = serde_json::json!(" ");
        assert!(serde_json::from_value::<Bundle>(json.clone()).is_err());
        json["badges"][0]["name"]["it"] = serde_json::json!("Badge");
        json["paths"][0]["audience"] = serde_json::json!("tutti");
        let message = serde_json::from_value::<Bundle>(json)
            .unwrap_err()
            .to_string();
        assert_eq!(message, "unknown variant `tutti`");
    }

    /// The message reading `rich_bundle` gives once `change` has altered activity `index`.
    fn activity_error(index: usize, change: impl FnOnce(&mut Object)) -> String {
        let mut json = serde_json::to_value(rich_bundle()).unwrap();
        let activity = &mut json["paths"][0]["modules"][0]["activities"][index];
        change(activity.as_object_mut().unwrap());
        serde_json::from_value::<Bundle>(json)
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn fields_of_another_kind_are_refused() {
        let question = serde_json::json!([{"type": "number", "prompt": {"it": "?"}, "answer": 1}]);
        let message = activity_error(0, |lesson| {
            lesson.insert("questions".into(), question);
        });
        assert_eq!(message, "unknown field `questions`");
        let message = activity_error(2, |challenge| {
            challenge.insert("reflection".into(), serde_json::json!({"it": "Perché?"}));
        });
        assert_eq!(message, "unknown field `reflection`");
        // Fields no kind has are still ignored: an older app reads a newer bundle.
        let mut json = serde_json::to_value(rich_bundle()).unwrap();
        json["paths"][0]["modules"][0]["activities"][0]["novita"] = serde_json::json!(true);
        assert_eq!(
            serde_json::from_value::<Bundle>(json).unwrap(),
            rich_bundle()
        );
    }

    #[test]
    fn required_lists_may_not_be_empty_or_missing() {
        let message = activity_error(1, |quiz| {
            quiz.insert("questions".into(), serde_json::json!([]));
        });
        assert_eq!(message, "missing field `questions`");
        let message = activity_error(2, |challenge| {
            challenge.remove("steps");
        });
        assert_eq!(message, "missing field `steps`");
        let message = activity_error(2, |challenge| {
            challenge.insert("evidence".into(), serde_json::json!([]));
        });
        assert_eq!(message, "missing field `evidence`");
        // A family task's lists are optional, so they may be empty.
        let mut json = serde_json::to_value(rich_bundle()).unwrap();
        json["paths"][0]["modules"][0]["activities"][4]["steps"] = serde_json::json!([]);
        assert_eq!(
            serde_json::from_value::<Bundle>(json).unwrap(),
            rich_bundle()
        );
    }
}
