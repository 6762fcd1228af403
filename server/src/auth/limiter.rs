//! The login rate limiter, by its rules in `rate_limit`: one server on SQLite counts guesses in its
//! memory; copies of the server sharing a PostgreSQL database count them there
//! (`store::login_failures`), so that a guess through any copy counts for all.

use super::rate_limit::{Address, Attempt, Locked, MAX_ACCOUNTS_PER_ADDRESS, MAX_FAILURES};
use super::rate_limit::{RateLimiter, Target, WINDOW};
use crate::error::ApiError;
use crate::store::backend::{Backend, Db};
use crate::store::login_failures::{self, Rules};
use std::time::{Duration, SystemTime};

pub enum Limiter {
    Memory(RateLimiter),
    Shared(Db),
}

/// An attempt counted as a failure until it is said to be right or is taken back.
#[derive(Clone)]
#[must_use = "a right attempt must be taken back"]
pub enum Counted {
    Memory(Attempt),
    Shared {
        id: String,
        target: Target,
        address: Address,
    },
}

impl Limiter {
    /// In memory for SQLite, in the database for PostgreSQL.
    pub fn for_db(db: &Db) -> Self {
        match db {
            Backend::Sqlite(_) => Self::Memory(RateLimiter::default()),
            Backend::Postgres(_) => Self::Shared(db.clone()),
        }
    }

    /// Refuses when the account or the address is locked; otherwise counts the attempt as a
    /// failure of both at once, before anything is checked.
    pub async fn attempt(&self, target: Target, address: Address) -> Result<Counted, ApiError> {
        let db = match self {
            Self::Memory(memory) => return Ok(Counted::Memory(memory.attempt(target, address)?)),
            Self::Shared(db) => db,
        };
        let (key, account) = target.key();
        let rules = Rules {
            window_ms: millis(WINDOW),
            per_account: MAX_FAILURES,
            per_address: MAX_ACCOUNTS_PER_ADDRESS,
        };
        let now = millis(
            SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .unwrap_or_default(),
        );
        match login_failures::attempt(db, &rules, (&key, account), &address.key(), now).await? {
            Ok(id) => Ok(Counted::Shared {
                id,
                target,
                address,
            }),
            Err(wait_ms) => Err(Locked {
                retry_after: Duration::from_millis(wait_ms.unsigned_abs()),
            }
            .into()),
        }
    }

    /// The secret was right: see `RateLimiter::succeed`.
    pub async fn succeed(&self, counted: Counted) {
        match (self, counted) {
            (Self::Memory(memory), Counted::Memory(attempt)) => memory.succeed(attempt),
            (
                Self::Shared(db),
                Counted::Shared {
                    id,
                    target,
                    address,
                },
            ) => {
                let (key, address) = (target.key().0, address.key());
                log_failure(login_failures::succeed(db, &id, &key, &address).await);
            }
            _ => unreachable!("an attempt is taken back by the limiter that counted it"),
        }
    }

    /// The attempt was refused before its secret was judged: see `RateLimiter::forgive`.
    pub async fn forgive(&self, counted: Counted) {
        match (self, counted) {
            (Self::Memory(memory), Counted::Memory(attempt)) => memory.forgive(attempt),
            (Self::Shared(db), Counted::Shared { id, .. }) => {
                log_failure(login_failures::forgive(db, &id).await);
            }
            _ => unreachable!("an attempt is taken back by the limiter that counted it"),
        }
    }

    /// `result`, the attempt taken back if it is an error: the check could not be made.
    pub async fn unless_failed<T, E>(
        &self,
        counted: &Counted,
        result: Result<T, E>,
    ) -> Result<T, E> {
        if result.is_err() {
            self.forgive(counted.clone()).await;
        }
        result
    }
}

fn millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

/// A failure taken back that stays counted costs its owner one guess at most: logged, not fatal.
fn log_failure(result: Result<(), sqlx::Error>) {
    if let Err(err) = result {
        tracing::error!(error = %err, "cannot take a counted guess back");
    }
}
