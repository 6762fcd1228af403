//! The SQL, in one place: accounts and sessions, and the event log.

pub mod accounts;
pub mod events;
