//! The SQL, in one place: accounts and sessions, cohorts and their members, the event log, family
//! links and consent, Open Badges assertions, photos,
//! recovery codes, the folds of the logs; and the one writer pushes go through.

pub mod accounts;
pub mod assertions;
pub mod backend;
pub mod clock;
pub mod cohorts;
pub mod consent;
pub mod erasure;
pub mod events;
pub mod export;
pub mod family;
pub mod folds;
pub mod login_failures;
pub mod members;
pub mod photos;
pub mod recovery;
pub mod reports;
pub mod writer;

use serde::de::DeserializeOwned;

/// A text column holding one of core's enums (a role, an age band) by its name on the wire.
fn decode_name<T: DeserializeOwned>(name: String) -> Result<T, sqlx::Error> {
    serde_json::from_value(serde_json::Value::String(name))
        .map_err(|err| sqlx::Error::Decode(err.into()))
}
