//! Learners' secrets and staff passwords, hashed with Argon2id (the crate's default parameters:
//! 19 MiB, 2 passes). Hashing takes tens of milliseconds of CPU, so it runs off the async threads,
//! and only during a [`Turn`] of the hashing gate: a flood of logins cannot take the memory.

use crate::gate::Turn;
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("cannot hash the secret: {0}")]
    Hash(argon2::password_hash::Error),
    #[error("a stored hash cannot be read: {0}")]
    Stored(argon2::password_hash::Error),
    #[error("no random salt: {0}")]
    Salt(getrandom::Error),
    #[error("the hashing task failed: {0}")]
    Task(#[from] crate::gate::Failed),
}

/// The PHC string (algorithm, parameters, salt and hash) to store, computed during `turn`.
pub async fn hash(turn: Turn, secret: String) -> Result<String, PasswordError> {
    turn.run(move || hash_now(&secret)).await?
}

/// Whether `secret` matches `stored`. With no stored hash (unknown account) the same work is
/// done anyway, so the answer's timing does not tell which nicknames exist. Computed during `turn`.
pub async fn verify(
    turn: Turn,
    secret: String,
    stored: Option<String>,
) -> Result<bool, PasswordError> {
    turn.run(move || match stored {
        Some(stored) => {
            let parsed = PasswordHash::new(&stored).map_err(PasswordError::Stored)?;
            Ok(Argon2::default()
                .verify_password(secret.as_bytes(), &parsed)
                .is_ok())
        }
        None => hash_now(&secret).map(|_| false),
    })
    .await?
}

fn hash_now(secret: &str) -> Result<String, PasswordError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(PasswordError::Salt)?;
    let salt = SaltString::encode_b64(&salt).map_err(PasswordError::Hash)?;
    let hash = Argon2::default()
        .hash_password(secret.as_bytes(), &salt)
        .map_err(PasswordError::Hash)?;
    Ok(hash.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gate::{Gate, WAIT};

    #[tokio::test]
    async fn verifies_only_the_right_secret() {
        let gate = Gate::new("test", 1, WAIT);
        let turn = || async { gate.enter().await.unwrap() };
        let stored = hash(turn().await, "123456".into()).await.unwrap();
        assert!(stored.starts_with("$argon2id$"), "{stored}");
        assert!(!stored.contains("123456"));
        assert!(
            verify(turn().await, "123456".into(), Some(stored.clone()))
                .await
                .unwrap()
        );
        assert!(
            !verify(turn().await, "123457".into(), Some(stored))
                .await
                .unwrap()
        );
        assert!(!verify(turn().await, "123456".into(), None).await.unwrap());
    }
}
