//! The SQL, in one place: accounts and sessions, the event log, family links.

pub mod accounts;
pub mod events;
pub mod family;
