//! Which of an activity's fields each kind requires and allows: one table, read by the apps'
//! bundle reader, the derived reader and the server's content compiler alike, so that a field of
//! another kind or an empty required list is refused wherever an activity is read.

use super::{ActivityKind, Challenge, Details, Evidence, FamilyTask, Question, Quiz};
use crate::i18n::Localized;
use std::fmt;

/// The fields only some kinds of activity have, in the order their problems are reported.
pub const KIND_FIELDS: [&str; 7] = [
    "pass_mark",
    "questions",
    "evidence",
    "materials",
    "safety",
    "steps",
    "reflection",
];

/// How an activity of some kind has one of [`KIND_FIELDS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Use {
    Never,
    May,
    /// Required, and a list with at least one item.
    Must,
}

impl Use {
    /// What is wrong with a field used so: `found` says whether it is there and, if so,
    /// whether it is an empty list.
    pub fn fault(self, found: Option<bool>) -> Option<Fault> {
        match (self, found) {
            (Use::Never, Some(_)) => Some(Fault::NotAllowed),
            (Use::Must, None) => Some(Fault::Missing),
            (Use::Must, Some(true)) => Some(Fault::Empty),
            _ => None,
        }
    }
}

impl ActivityKind {
    /// The table: how this kind has each of [`KIND_FIELDS`], in order.
    #[rustfmt::skip]
    pub const fn fields(self) -> [Use; 7] {
        use Use::{May, Must, Never as No};
        match self {
            //                 pass_mark questions evidence materials safety steps reflection
            Self::Lesson =>     [No,       No,       No,      No,       No,    No,   No],
            Self::Quiz =>       [Must,     Must,     No,      No,       No,    No,   No],
            Self::Challenge =>  [No,       No,       Must,    May,      May,   Must, No],
            Self::FamilyTask => [No,       No,       No,      May,      May,   May,  May],
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

impl KindFields {
    /// Each of [`KIND_FIELDS`], in order: whether it is there and, if so, whether it is an
    /// empty list.
    fn found(&self) -> [Option<bool>; 7] {
        fn list<T>(value: &Option<Vec<T>>) -> Option<bool> {
            value.as_ref().map(Vec::is_empty)
        }
        [
            self.pass_mark.map(|_| false),
            list(&self.questions),
            list(&self.evidence),
            list(&self.materials),
            list(&self.safety),
            list(&self.steps),
            self.reflection.as_ref().map(|_| false),
        ]
    }

    /// Every field that does not fit `kind`, in the order of [`KIND_FIELDS`].
    pub fn problems(&self, kind: ActivityKind) -> impl Iterator<Item = FieldProblem> {
        let table = KIND_FIELDS.into_iter().zip(kind.fields());
        table
            .zip(self.found())
            .filter_map(move |((field, usage), found)| {
                let fault = usage.fault(found)?;
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
    fn every_field_the_table_says_never_is_refused_and_the_rest_read() {
        let every_field = every_field();
        assert!(every_field.found().iter().all(Option::is_some));
        for kind in KINDS {
            let refused: Vec<_> = every_field.problems(kind).map(|p| p.field).collect();
            let expected: Vec<_> = KIND_FIELDS
                .into_iter()
                .zip(kind.fields())
                .filter(|(_, usage)| *usage == Use::Never)
                .map(|(field, _)| field)
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
