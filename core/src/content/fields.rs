//! Which of an activity's fields each kind requires and allows: one table, read by the apps'
//! bundle reader, the derived reader and the server's content compiler alike, so that a field of
//! another kind or an empty required list is refused wherever an activity is read.

use super::{ActivityKind, Challenge, Details, Evidence, FamilyTask, Question, Quiz};
use crate::i18n::Localized;
use std::fmt;

impl ActivityKind {
    /// The fields this kind must have, lists among them with at least one item.
    pub const fn required_fields(self) -> &'static [&'static str] {
        match self {
            Self::Lesson | Self::FamilyTask => &[],
            Self::Quiz => &["pass_mark", "questions"],
            Self::Challenge => &["evidence", "steps"],
        }
    }

    /// The fields this kind may have besides those every activity has, required ones included.
    pub const fn allowed_fields(self) -> &'static [&'static str] {
        match self {
            Self::Lesson => &[],
            Self::Quiz => &["pass_mark", "questions"],
            Self::Challenge => &["evidence", "materials", "safety", "steps"],
            Self::FamilyTask => &["materials", "safety", "steps", "reflection"],
        }
    }

    /// How problems name the kind, in Italian.
    const fn italian(self) -> &'static str {
        match self {
            Self::Lesson => "una lezione",
            Self::Quiz => "un quiz",
            Self::Challenge => "una sfida",
            Self::FamilyTask => "un'attività in famiglia",
        }
    }
}

/// An activity's fields that only some kinds have, as read and before they are checked against
/// its kind. `None` is a field not there.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct KindFields {
    pub pass_mark: Option<u8>,
    pub questions: Option<Vec<Question>>,
    pub evidence: Option<Vec<Evidence>>,
    pub materials: Option<Vec<Localized>>,
    pub safety: Option<Vec<Localized>>,
    pub steps: Option<Vec<Localized>>,
    pub reflection: Option<Localized>,
}

/// A field that does not fit its activity's kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldProblem {
    pub field: &'static str,
    pub kind: ActivityKind,
    pub fault: Fault,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// The field belongs to other kinds.
    NotAllowed,
    Missing,
    /// A required list with nothing in it.
    Empty,
}

impl fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (field, kind) = (self.field, self.kind.italian());
        match self.fault {
            Fault::NotAllowed => write!(f, "il campo `{field}` non si usa in {kind}"),
            Fault::Missing => write!(f, "manca il campo `{field}`, obbligatorio per {kind}"),
            Fault::Empty => write!(
                f,
                "l'elenco `{field}` è vuoto: serve almeno un elemento per {kind}"
            ),
        }
    }
}

impl KindFields {
    /// Each field by name: whether it is there, and whether it is an empty list.
    fn found(&self) -> [(&'static str, Option<bool>); 7] {
        fn list<T>(value: &Option<Vec<T>>) -> Option<bool> {
            value.as_ref().map(Vec::is_empty)
        }
        [
            ("pass_mark", self.pass_mark.map(|_| false)),
            ("questions", list(&self.questions)),
            ("evidence", list(&self.evidence)),
            ("materials", list(&self.materials)),
            ("safety", list(&self.safety)),
            ("steps", list(&self.steps)),
            ("reflection", self.reflection.as_ref().map(|_| false)),
        ]
    }

    /// Every field that does not fit `kind`, in the order of the table.
    pub fn problems(&self, kind: ActivityKind) -> impl Iterator<Item = FieldProblem> {
        let (required, allowed) = (kind.required_fields(), kind.allowed_fields());
        self.found().into_iter().filter_map(move |(field, empty)| {
            let fault = match empty {
                Some(_) if !allowed.contains(&field) => Fault::NotAllowed,
                None if required.contains(&field) => Fault::Missing,
                Some(true) if required.contains(&field) => Fault::Empty,
                _ => return None,
            };
            Some(FieldProblem { field, kind, fault })
        })
    }

    /// The kind's details, or the first field that does not fit it.
    pub fn details(self, kind: ActivityKind) -> Result<Details, FieldProblem> {
        if let Some(problem) = self.problems(kind).next() {
            return Err(problem);
        }
        // What the table requires is there; the rest defaults to nothing.
        Ok(match kind {
            ActivityKind::Lesson => Details::Lesson,
            ActivityKind::Quiz => Details::Quiz(Quiz {
                pass_mark: self.pass_mark.unwrap_or_default(),
                questions: self.questions.unwrap_or_default(),
            }),
            ActivityKind::Challenge => Details::Challenge(Challenge {
                evidence: self.evidence.unwrap_or_default(),
                materials: self.materials.unwrap_or_default(),
                safety: self.safety.unwrap_or_default(),
                steps: self.steps.unwrap_or_default(),
            }),
            ActivityKind::FamilyTask => Details::FamilyTask(FamilyTask {
                materials: self.materials.unwrap_or_default(),
                safety: self.safety.unwrap_or_default(),
                steps: self.steps.unwrap_or_default(),
                reflection: self.reflection,
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KINDS: [ActivityKind; 4] = [
        ActivityKind::Lesson,
        ActivityKind::Quiz,
        ActivityKind::Challenge,
        ActivityKind::FamilyTask,
    ];

    fn every_field() -> KindFields {
        let text = || vec![Localized::it("x")];
        KindFields {
            pass_mark: Some(60),
            questions: Some(vec![Question::Number {
                prompt: Localized::it("?"),
                answer: 1.0,
                tolerance: 0.0,
                unit: None,
                feedback: None,
            }]),
            evidence: Some(vec![Evidence::Text]),
            materials: Some(text()),
            safety: Some(text()),
            steps: Some(text()),
            reflection: Some(Localized::it("r")),
        }
    }

    #[test]
    fn the_table_names_only_fields_that_exist_and_requires_only_allowed_ones() {
        let names = every_field().found().map(|(name, _)| name);
        for kind in KINDS {
            assert!(kind.allowed_fields().iter().all(|f| names.contains(f)));
            assert!(
                kind.required_fields()
                    .iter()
                    .all(|f| kind.allowed_fields().contains(f))
            );
        }
    }

    #[test]
    fn every_field_outside_the_table_is_refused_and_the_rest_read() {
        for kind in KINDS {
            let refused: Vec<_> = every_field().problems(kind).map(|p| p.field).collect();
            let expected: Vec<_> = every_field()
                .found()
                .map(|(name, _)| name)
                .into_iter()
                .filter(|f| !kind.allowed_fields().contains(f))
                .collect();
            assert_eq!(refused, expected, "{kind:?}");
        }
        let family = KindFields {
            reflection: Some(Localized::it("r")),
            ..KindFields::default()
        };
        let Ok(Details::FamilyTask(task)) = family.details(ActivityKind::FamilyTask) else {
            panic!("a family task needs nothing");
        };
        assert_eq!(task.reflection, Some(Localized::it("r")));
        assert!(task.steps.is_empty());
    }

    #[test]
    fn required_lists_may_not_be_missing_or_empty() {
        let challenge = KindFields {
            evidence: Some(vec![]),
            ..KindFields::default()
        };
        let problems: Vec<_> = challenge.problems(ActivityKind::Challenge).collect();
        let messages: Vec<_> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            [
                "l'elenco `evidence` è vuoto: serve almeno un elemento per una sfida",
                "manca il campo `steps`, obbligatorio per una sfida",
            ]
        );
        let lesson = KindFields {
            questions: Some(vec![]),
            ..KindFields::default()
        };
        assert_eq!(
            lesson
                .details(ActivityKind::Lesson)
                .unwrap_err()
                .to_string(),
            "il campo `questions` non si usa in una lezione"
        );
        // Optional lists may be empty.
        let family = KindFields {
            steps: Some(vec![]),
            ..KindFields::default()
        };
        assert!(family.details(ActivityKind::FamilyTask).is_ok());
    }
}
