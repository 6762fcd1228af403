//! Officina's domain, shared by the app (wasm) and the server (native): the content model,
//! the event log and the sync protocol. Pure data and functions; no I/O.

pub mod account;
pub mod badges;
pub mod challenge;
pub mod cohort;
pub mod consent;
pub mod content;
pub mod dashboard;
pub mod events;
pub mod figures;
pub mod fold;
pub mod i18n;
pub mod impact;
pub mod outbox;
pub mod payload;
pub mod placement;
pub mod progress;
pub mod quiz;
pub mod report;
pub mod rules;
pub mod self_assessment;
pub mod sorted;
pub mod staff;
pub mod streaks;
pub mod summary;
pub mod sync;
pub mod table;
#[cfg(test)]
pub(crate) mod testing;
pub mod time;

pub use content::{
    Activity, ActivityKind, Audience, Badge, Bundle, Challenge, Choice, Criteria, Details,
    Evidence, FamilyTask, Module, Path, Programme, Question, Quiz, SelfAssessment,
};
pub use events::{Event, EventKind, EventLog, Insert};
pub use i18n::{Lang, Localized};
