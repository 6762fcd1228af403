//! The SQL, in one place: accounts and sessions, the event log, and Open Badges assertions.

pub mod accounts;
pub mod assertions;
pub mod events;
