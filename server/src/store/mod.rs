//! The SQL, in one place: accounts and sessions, the event log, family links, Open Badges assertions, photos.

pub mod accounts;
pub mod assertions;
pub mod cohorts;
pub mod events;
pub mod family;
pub mod photos;
pub mod reports;
