//! What an event says, typed: one type per kind, read from and written to the event's `data`.
//! Only this module knows `data`'s field names. Reading is strict (exactly the fields a kind
//! allows, within the limits below) and by hand through `content::read`, for a smaller wasm.

use crate::events::{Event, EventKind};
use crate::quiz::Answer;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use uuid::Uuid;

/// The longest JSON of one event as sent.
pub const MAX_EVENT_BYTES: usize = 32 * 1024;
/// The longest account of a challenge, in characters.
pub const MAX_SUBMISSION_TEXT: usize = 4000;
/// The longest reflection, review comment or award reason, in characters.
pub const MAX_COMMENT: usize = 2000;
/// The most photos with a challenge.
pub const MAX_PHOTOS: usize = 3;

/// Self-assessment answers go from 1 (the scale's first label, "Per niente") to this.
pub const SCALE_POINTS: usize = 4;

/// When in a path the questionnaire is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Moment {
    Before,
    After,
}

impl Moment {
    /// The name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Before => "before",
            Self::After => "after",
        }
    }
}

/// What a `self_assessed` event says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answers {
    pub path_id: String,
    pub moment: Moment,
    /// One per statement of the questionnaire, in its order, each from 1 to [`SCALE_POINTS`].
    pub answers: Vec<u8>,
}

/// Who confirms a family task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FamilyRole {
    Child,
    Parent,
}

/// An educator's verdict on a challenge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Approved,
    ChangesRequested,
}

/// A quiz attempt: the answers (one per question, in order, `None` when skipped) and the result
/// the device computed from them, which must be what `core` computes.
#[derive(Debug, Clone, PartialEq)]
pub struct Attempt {
    pub answers: Vec<Option<Answer>>,
    /// Whole percent.
    pub score: u8,
    pub passed: bool,
}

/// A version of a challenge: the learner's account and the ids of its photos.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submission {
    pub text: String,
    /// Canonical UUIDs (lowercase, hyphenated), the form `/api/photos/{id}` stores; distinct.
    pub photos: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    pub verdict: Verdict,
    pub comment: Option<String>,
}

/// One side's confirmation of a family task, with an optional private reflection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirmation {
    pub role: FamilyRole,
    pub reflection: Option<String>,
}

/// A badge an educator awards by hand, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Award {
    pub badge_id: String,
    pub reason: Option<String>,
}

/// What an event says, by kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Payload {
    Completed,
    Quiz(Attempt),
    Submission(Submission),
    Review(Review),
    Family(Confirmation),
    Award(Award),
    SelfAssessed(Answers),
}

impl Payload {
    pub fn kind(&self) -> EventKind {
        match self {
            Self::Completed => EventKind::ActivityCompleted,
            Self::Quiz(_) => EventKind::QuizSubmitted,
            Self::Submission(_) => EventKind::ChallengeSubmitted,
            Self::Review(_) => EventKind::ChallengeReviewed,
            Self::Family(_) => EventKind::FamilyTaskConfirmed,
            Self::Award(_) => EventKind::BadgeAwarded,
            Self::SelfAssessed(_) => EventKind::SelfAssessed,
        }
    }

    /// Reads the `data` of an event of `kind`: exactly its fields, within the limits; `None`
    /// if it is anything else. Read in place, without copying `data` (judging every event of a
    /// log reads them all).
    pub fn read(kind: EventKind, data: &Value) -> Option<Self> {
        let mut f = Data::of(data)?;
        let payload = match kind {
            EventKind::ActivityCompleted => Self::Completed,
            EventKind::QuizSubmitted => Self::Quiz(Attempt {
                answers: f.required("answers", |v| list(v, answer))?,
                score: f.required("score", number)?,
                passed: f.required("passed", Value::as_bool)?,
            }),
            EventKind::ChallengeSubmitted => Self::Submission(Submission {
                text: f.required("text", text::<MAX_SUBMISSION_TEXT>)?,
                photos: f.optional("photos", photos)?.unwrap_or_default(),
            }),
            EventKind::ChallengeReviewed => Self::Review(Review {
                verdict: f.required("status", verdict)?,
                comment: f.optional("comment", text::<MAX_COMMENT>)?,
            }),
            EventKind::FamilyTaskConfirmed => Self::Family(Confirmation {
                role: f.required("role", role)?,
                reflection: f.optional("reflection", text::<MAX_COMMENT>)?,
            }),
            EventKind::BadgeAwarded => Self::Award(Award {
                badge_id: f.required("badge_id", text::<MAX_COMMENT>)?,
                reason: f.optional("reason", text::<MAX_COMMENT>)?,
            }),
            EventKind::SelfAssessed => Self::SelfAssessed(Answers {
                path_id: f.required("path_id", text::<MAX_COMMENT>)?,
                moment: f.required("moment", moment)?,
                answers: f.required("answers", |v| list(v, number))?,
            }),
        };
        f.done(payload)
    }

    /// The `data` to store and send. Built by hand, field by field: serde's way would compile a
    /// serializer per type into the app.
    pub fn to_value(&self) -> Value {
        let mut data = Map::new();
        // An absent optional text comes as `null`: it is left out.
        let mut put = |field: &str, value: Value| {
            if !value.is_null() {
                data.insert(field.to_owned(), value);
            }
        };
        match self {
            Self::Completed => {}
            Self::Quiz(a) => {
                put("answers", a.answers.iter().map(answer_value).collect());
                put("score", a.score.into());
                put("passed", a.passed.into());
            }
            Self::Submission(s) => {
                put("text", s.text.as_str().into());
                if !s.photos.is_empty() {
                    put(
                        "photos",
                        s.photos.iter().map(|p| Value::from(p.as_str())).collect(),
                    );
                }
            }
            Self::Review(r) => {
                let status = match r.verdict {
                    Verdict::Approved => "approved",
                    Verdict::ChangesRequested => "changes_requested",
                };
                put("status", status.into());
                put("comment", r.comment.as_deref().into());
            }
            Self::Family(c) => {
                let role = match c.role {
                    FamilyRole::Child => "child",
                    FamilyRole::Parent => "parent",
                };
                put("role", role.into());
                put("reflection", c.reflection.as_deref().into());
            }
            Self::Award(a) => {
                put("badge_id", a.badge_id.as_str().into());
                put("reason", a.reason.as_deref().into());
            }
            Self::SelfAssessed(a) => {
                put("path_id", a.path_id.as_str().into());
                put("moment", a.moment.as_str().into());
                put(
                    "answers",
                    a.answers.iter().map(|&n| Value::from(n)).collect(),
                );
            }
        }
        Value::Object(data)
    }
}

fn answer_value(answer: &Option<Answer>) -> Value {
    match answer {
        None => Value::Null,
        Some(Answer::Choices(chosen)) => chosen.iter().map(|&i| Value::from(i)).collect(),
        Some(Answer::Number(n)) => Value::from(*n),
    }
}

impl Event {
    /// A new event of the payload's kind, with no owner yet and not yet received.
    pub fn new(id: Uuid, activity_id: Option<&str>, at: String, payload: &Payload) -> Self {
        Self::with_data(id, payload.kind(), activity_id, at, payload.to_value())
    }

    pub fn activity_completed(id: Uuid, activity_id: &str, at: String) -> Self {
        Self::new(id, Some(activity_id), at, &Payload::Completed)
    }

    /// What the event says, if its `data` is what its kind allows.
    pub fn payload(&self) -> Option<Payload> {
        Payload::read(self.kind, self.data())
    }
}

/// Removes what only the event's author may read (a family task's reflection) from its `data`.
pub fn redact_private(data: &mut Value) {
    if let Some(fields) = data.as_object_mut() {
        fields.remove("reflection");
    }
}

/// The fields of one `data` object, read in place: each field once, and every one of them.
struct Data<'v> {
    fields: &'v Map<String, Value>,
    read: usize,
}

impl<'v> Data<'v> {
    fn of(value: &'v Value) -> Option<Self> {
        let fields = value.as_object()?;
        Some(Self { fields, read: 0 })
    }

    /// `Some(None)` when absent, `None` when there but unreadable (`null` included: what is
    /// accepted must be what `to_value` writes back, which leaves an absent field out).
    fn optional<T>(&mut self, key: &str, read: fn(&'v Value) -> Option<T>) -> Option<Option<T>> {
        match self.fields.get(key) {
            None => Some(None),
            Some(value) => {
                self.read += 1;
                read(value).map(Some)
            }
        }
    }

    fn required<T>(&mut self, key: &str, read: fn(&'v Value) -> Option<T>) -> Option<T> {
        self.optional(key, read)?
    }

    /// The value read, if no field was left unread.
    fn done<T>(self, value: T) -> Option<T> {
        (self.read == self.fields.len()).then_some(value)
    }
}

fn list<'v, T>(value: &'v Value, read: fn(&'v Value) -> Option<T>) -> Option<Vec<T>> {
    value.as_array()?.iter().map(read).collect()
}

fn number<T: TryFrom<u64>>(value: &Value) -> Option<T> {
    T::try_from(value.as_u64()?).ok()
}

/// A text of at most `MAX` characters.
fn text<const MAX: usize>(value: &Value) -> Option<String> {
    let text = value.as_str()?;
    (text.chars().count() <= MAX).then(|| text.to_owned())
}

/// At most [`MAX_PHOTOS`] distinct canonical UUIDs.
fn photos(value: &Value) -> Option<Vec<String>> {
    let photos = list(value, text::<36>)?;
    let mut distinct = Vec::with_capacity(photos.len());
    for id in &photos {
        let canonical = uuid::Uuid::parse_str(id).is_ok_and(|u| u.to_string() == *id);
        if !canonical {
            return None;
        }
        crate::sorted::insert_sorted(&mut distinct, id.as_str());
    }
    (photos.len() <= MAX_PHOTOS && distinct.len() == photos.len()).then_some(photos)
}

/// One answer: `null` (skipped), the indexes of the options chosen, or a number.
fn answer(value: &Value) -> Option<Option<Answer>> {
    Some(match value {
        Value::Null => None,
        Value::Array(_) => Some(Answer::Choices(list(value, number)?)),
        Value::Number(n) => Some(Answer::Number(n.as_f64()?)),
        _ => return None,
    })
}

fn verdict(value: &Value) -> Option<Verdict> {
    match value.as_str()? {
        "approved" => Some(Verdict::Approved),
        "changes_requested" => Some(Verdict::ChangesRequested),
        _ => None,
    }
}

fn role(value: &Value) -> Option<FamilyRole> {
    match value.as_str()? {
        "child" => Some(FamilyRole::Child),
        "parent" => Some(FamilyRole::Parent),
        _ => None,
    }
}

fn moment(value: &Value) -> Option<Moment> {
    match value.as_str()? {
        "before" => Some(Moment::Before),
        "after" => Some(Moment::After),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn every_kind() -> Vec<Payload> {
        vec![
            Payload::Completed,
            Payload::Quiz(Attempt {
                answers: vec![
                    Some(Answer::Choices(vec![0, 2])),
                    Some(Answer::Number(7.9)),
                    None,
                ],
                score: 66,
                passed: true,
            }),
            Payload::Submission(Submission {
                text: "Fatto".into(),
                photos: vec![],
            }),
            Payload::Submission(Submission {
                text: "Con foto".into(),
                photos: vec!["00000000-0000-0000-0000-000000000001".into()],
            }),
            Payload::Review(Review {
                verdict: Verdict::ChangesRequested,
                comment: Some("Aggiungi una foto".into()),
            }),
            Payload::Review(Review {
                verdict: Verdict::Approved,
                comment: None,
            }),
            Payload::Family(Confirmation {
                role: FamilyRole::Parent,
                reflection: Some("Bello".into()),
            }),
            Payload::Award(Award {
                badge_id: "b".into(),
                reason: Some("Aiuta gli altri".into()),
            }),
            Payload::SelfAssessed(Answers {
                path_id: "space-camp".into(),
                moment: Moment::After,
                answers: vec![1, 4],
            }),
        ]
    }

    #[test]
    fn every_payload_round_trips_through_its_data() {
        for payload in every_kind() {
            let data = payload.to_value();
            assert_eq!(
                Payload::read(payload.kind(), &data),
                Some(payload),
                "{data}"
            );
        }
    }

    #[test]
    fn stray_fields_wrong_types_and_long_texts_are_refused() {
        let long = "x".repeat(MAX_COMMENT + 1);
        let photo = |n: u8| format!("00000000-0000-0000-0000-00000000000{n}");
        for (kind, data) in [
            (EventKind::ActivityCompleted, json!({"reflection": "x"})),
            // Accepted data is data `to_value` writes back: no `null` for an absent field.
            (
                EventKind::ChallengeSubmitted,
                json!({"text": "x", "photos": null}),
            ),
            (
                EventKind::FamilyTaskConfirmed,
                json!({"role": "child", "reflection": null}),
            ),
            (
                EventKind::QuizSubmitted,
                json!({"passed": true, "score": 100}),
            ),
            (
                EventKind::QuizSubmitted,
                json!({"answers": [], "score": 100, "passed": "sì"}),
            ),
            (
                EventKind::ChallengeSubmitted,
                json!({"text": "x".repeat(MAX_SUBMISSION_TEXT + 1)}),
            ),
            (
                EventKind::ChallengeSubmitted,
                json!({"text": "x", "photos": [photo(1), photo(1)]}),
            ),
            (
                EventKind::ChallengeSubmitted,
                json!({"text": "x", "photos": ["../etc/passwd"]}),
            ),
            (
                EventKind::ChallengeSubmitted,
                json!({"text": "x", "photos": [photo(1), photo(2), photo(3), photo(4)]}),
            ),
            (EventKind::ChallengeReviewed, json!({"status": "ok"})),
            (
                EventKind::ChallengeReviewed,
                json!({"status": "approved", "comment": long}),
            ),
            (
                EventKind::FamilyTaskConfirmed,
                json!({"role": "parent", "reflection": long}),
            ),
            (EventKind::FamilyTaskConfirmed, json!({"role": "nonno"})),
            (
                EventKind::BadgeAwarded,
                json!({"badge_id": "b", "note": "x"}),
            ),
            (
                EventKind::SelfAssessed,
                json!({"path_id": "p", "moment": "poi", "answers": []}),
            ),
        ] {
            assert!(Payload::read(kind, &data).is_none(), "{kind:?} {data}");
        }
    }

    #[test]
    fn a_reflection_is_removed_for_the_other_side() {
        let mut data = Payload::Family(Confirmation {
            role: FamilyRole::Child,
            reflection: Some("mio".into()),
        })
        .to_value();
        redact_private(&mut data);
        assert_eq!(data, json!({"role": "child"}));
    }
}
