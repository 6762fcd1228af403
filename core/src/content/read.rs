//! Reading a whole bundle, as the apps do (the server only writes bundles). The JSON is parsed
//! into a `serde_json::Value`, whose parser the apps carry anyway for events' `data`, and turned
//! into the content model by the plain functions below. Deriving `Deserialize` down the tree
//! compiled one serde_json copy per struct and list type into the wasm (about 40 KB, see
//! BENCHMARKS.md); these functions are a fraction of that. The derived readers of the parts stay
//! for the server, which checks each file of `content/` with them and their clear messages.
//!
//! A bundle that reads with the derived readers reads to the same value here; missing or
//! mistyped fields are errors, `null` counts as absent where a field may be absent.

use super::{
    Activity, Audience, Badge, Bundle, Challenge, Choice, Criteria, Details, Evidence, FamilyTask,
    Module, Path, Programme, Question, Quiz, SelfAssessment,
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
    let mut o = object(value)?;
    Ok(Bundle {
        content_version: string(field(&mut o, "content_version")?)?,
        paths: list(field(&mut o, "paths")?, path)?,
        badges: list(field(&mut o, "badges")?, badge)?,
        self_assessment: optional(&mut o, "self_assessment", self_assessment)?.unwrap_or_default(),
    })
}

fn self_assessment(value: Value) -> Read<SelfAssessment> {
    let mut o = object(value)?;
    Ok(SelfAssessment {
        statements: list(field(&mut o, "statements")?, localized)?,
        scale: list(field(&mut o, "scale")?, localized)?,
    })
}

fn path(value: Value) -> Read<Path> {
    let mut o = object(value)?;
    Ok(Path {
        id: string(field(&mut o, "id")?)?,
        title: localized(field(&mut o, "title")?)?,
        summary: localized(field(&mut o, "summary")?)?,
        audience: match name(field(&mut o, "audience")?)?.as_str() {
            "learners" => Audience::Learners,
            "family" => Audience::Family,
            "startups" => Audience::Startups,
            other => return Err(unknown(other)),
        },
        programme: optional(&mut o, "programme", programme)?,
        edition: string(field(&mut o, "edition")?)?,
        ages: optional(&mut o, "ages", string)?,
        cover: optional(&mut o, "cover", string)?,
        modules: list(field(&mut o, "modules")?, module)?,
    })
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
    let mut o = object(value)?;
    Ok(Module {
        id: string(field(&mut o, "id")?)?,
        title: localized(field(&mut o, "title")?)?,
        activities: list(field(&mut o, "activities")?, activity)?,
    })
}

fn activity(value: Value) -> Read<Activity> {
    let mut o = object(value)?;
    let kind = name(field(&mut o, "kind")?)?;
    let details = match kind.as_str() {
        "lesson" => Details::Lesson,
        "quiz" => Details::Quiz(Quiz {
            pass_mark: number(field(&mut o, "pass_mark")?)?,
            questions: list(field(&mut o, "questions")?, question)?,
        }),
        "challenge" => Details::Challenge(Challenge {
            evidence: list(field(&mut o, "evidence")?, evidence)?,
            materials: texts(&mut o, "materials")?,
            safety: texts(&mut o, "safety")?,
            steps: list(field(&mut o, "steps")?, localized)?,
        }),
        "family_task" => Details::FamilyTask(FamilyTask {
            materials: texts(&mut o, "materials")?,
            safety: texts(&mut o, "safety")?,
            steps: texts(&mut o, "steps")?,
            reflection: optional(&mut o, "reflection", localized)?,
        }),
        other => return Err(unknown(other)),
    };
    Ok(Activity {
        id: string(field(&mut o, "id")?)?,
        title: localized(field(&mut o, "title")?)?,
        body_html: localized(field(&mut o, "body_html")?)?,
        minutes: optional(&mut o, "minutes", number)?,
        xp: optional(&mut o, "xp", number)?,
        prerequisites: optional(&mut o, "prerequisites", |v| list(v, string))?.unwrap_or_default(),
        details,
    })
}

fn evidence(value: Value) -> Read<Evidence> {
    match name(value)?.as_str() {
        "text" => Ok(Evidence::Text),
        "photo" => Ok(Evidence::Photo),
        other => Err(unknown(other)),
    }
}

/// A list of texts that may be absent.
fn texts(o: &mut Object, key: &str) -> Read<Vec<Localized>> {
    Ok(optional(o, key, |v| list(v, localized))?.unwrap_or_default())
}

fn question(value: Value) -> Read<Question> {
    let mut o = object(value)?;
    let prompt = localized(field(&mut o, "prompt")?)?;
    Ok(match name(field(&mut o, "type")?)?.as_str() {
        "single" => Question::Single {
            prompt,
            options: list(field(&mut o, "options")?, choice)?,
        },
        "multiple" => Question::Multiple {
            prompt,
            options: list(field(&mut o, "options")?, choice)?,
        },
        "number" => Question::Number {
            prompt,
            answer: float(field(&mut o, "answer")?)?,
            tolerance: optional(&mut o, "tolerance", float)?.unwrap_or(0.0),
            unit: optional(&mut o, "unit", string)?,
            feedback: optional(&mut o, "feedback", localized)?,
        },
        other => return Err(unknown(other)),
    })
}

fn choice(value: Value) -> Read<Choice> {
    let mut o = object(value)?;
    Ok(Choice {
        text: localized(field(&mut o, "text")?)?,
        correct: match o.remove("correct") {
            None => false,
            Some(value) => value.as_bool().ok_or_else(|| mistyped(&value))?,
        },
        feedback: optional(&mut o, "feedback", localized)?,
    })
}

fn badge(value: Value) -> Read<Badge> {
    let mut o = object(value)?;
    Ok(Badge {
        id: string(field(&mut o, "id")?)?,
        name: localized(field(&mut o, "name")?)?,
        description: localized(field(&mut o, "description")?)?,
        image: string(field(&mut o, "image")?)?,
        criteria: criteria(field(&mut o, "criteria")?)?,
    })
}

fn criteria(value: Value) -> Read<Criteria> {
    let mut o = object(value)?;
    let kind = name(field(&mut o, "type")?)?;
    let mut text = |key| string(field(&mut o, key)?);
    Ok(match kind.as_str() {
        "activities_completed" => Criteria::ActivitiesCompleted {
            activities: list(field(&mut o, "activities")?, string)?,
        },
        "module_completed" => Criteria::ModuleCompleted {
            module: text("module")?,
        },
        "path_completed" => Criteria::PathCompleted {
            path: text("path")?,
        },
        "quiz_passed" => Criteria::QuizPassed {
            activity: text("activity")?,
        },
        "challenges_approved" => Criteria::ChallengesApproved {
            count: number(field(&mut o, "count")?)?,
            path: optional(&mut o, "path", string)?,
        },
        "family_tasks_confirmed" => Criteria::FamilyTasksConfirmed {
            count: number(field(&mut o, "count")?)?,
            path: optional(&mut o, "path", string)?,
        },
        "weekly_streak" => Criteria::WeeklyStreak {
            weeks: number(field(&mut o, "weeks")?)?,
        },
        "awarded" => Criteria::Awarded,
        other => return Err(unknown(other)),
    })
}

/// A text in Italian (never empty) and maybe English, as `Localized`'s own reader wants it.
fn localized(value: Value) -> Read<Localized> {
    let mut o = object(value)?;
    let it = string(field(&mut o, "it")?)?;
    if it.trim().is_empty() {
        return Err("manca il testo in italiano (`it` è vuoto)".into());
    }
    Ok(Localized {
        it,
        en: optional(&mut o, "en", string)?,
    })
}

pub(crate) fn object(value: Value) -> Read<Object> {
    match value {
        Value::Object(o) => Ok(o),
        other => Err(mistyped(&other)),
    }
}

pub(crate) fn field(o: &mut Object, key: &str) -> Read<Value> {
    o.remove(key)
        .ok_or_else(|| format!("missing field `{key}`"))
}

/// A field that may be absent (or `null`).
pub(crate) fn optional<T>(
    o: &mut Object,
    key: &str,
    read: impl FnOnce(Value) -> Read<T>,
) -> Read<Option<T>> {
    match o.remove(key) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => read(value).map(Some),
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

pub(crate) fn integer(value: Value) -> Read<i64> {
    value.as_i64().ok_or_else(|| mistyped(&value))
}

pub(crate) fn mistyped(value: &Value) -> String {
    format!("invalid value: {value}")
}

pub(crate) fn unknown(variant: &str) -> String {
    format!("unknown variant `{variant}`")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::tests::sample_bundle;

    /// A bundle with every kind of activity, question and criteria, optional fields set and not.
    fn rich_bundle() -> Bundle {
        let mut bundle = sample_bundle();
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
        bundle.paths[0].modules[0].activities = serde_json::from_value(json).unwrap();
        let criteria = serde_json::json!([
            {"type": "activities_completed", "activities": ["l", "q"]},
            {"type": "module_completed", "module": "m"}, {"type": "path_completed", "path": "p"},
            {"type": "quiz_passed", "activity": "q"}, {"type": "challenges_approved", "count": 2},
            {"type": "challenges_approved", "count": 2, "path": "p"},
            {"type": "family_tasks_confirmed", "count": 1, "path": "p"},
            {"type": "weekly_streak", "weeks": 3}, {"type": "awarded"}
        ]);
        let criteria: Vec<Criteria> = serde_json::from_value(criteria).unwrap();
        bundle.badges = criteria
            .into_iter()
            .enumerate()
            .map(|(n, criteria)| Badge {
                id: format!("b{n}"),
                name: Localized::it("Badge"),
                description: Localized::it("Per"),
                image: "/b.svg".into(),
                criteria,
            })
            .collect();
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
}
