//! Administration, for the command line and the API alike: educator and admin accounts, cohorts
//! and who runs them.

use crate::auth::passwords::{self, PasswordError};
use crate::cohort_details::{self, CohortError};
use crate::content;
use crate::db;
use crate::gate::{self, Busy, Gate};
use crate::store::accounts::{self, InsertError};
use crate::store::backend::Db;
use crate::store::cohorts::{self, CodeError, NewCohort};
use officina_core::account::{MAX_SECRET_CHARS, NicknameError, Role, User};
use std::path::Path;

/// Staff passwords protect many minors' data: longer than a learner's PIN.
pub const MIN_STAFF_PASSWORD_CHARS: usize = 10;

/// Why a request is refused; each message says what to fix.
#[derive(Debug, thiserror::Error)]
pub enum Refusal {
    #[error("Nome non valido: {0}.")]
    Name(#[from] NicknameError),
    #[error("La password deve avere da {MIN_STAFF_PASSWORD_CHARS} a {MAX_SECRET_CHARS} caratteri.")]
    Password,
    #[error("Esiste già un account di nome «{0}».")]
    NameTaken(String),
    #[error("Nessun educatore attivo di nome «{0}».")]
    UnknownEducator(String),
    #[error(transparent)]
    Cohort(#[from] CohortError),
}

#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error(transparent)]
    Refused(#[from] Refusal),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Hash(#[from] PasswordError),
    #[error(transparent)]
    Busy(#[from] Busy),
    #[error(transparent)]
    Code(#[from] CodeError),
}

impl From<CohortError> for AdminError {
    fn from(err: CohortError) -> Self {
        Self::Refused(err.into())
    }
}

/// `user create` on the command line.
pub async fn create_staff(
    db_path: &db::Target,
    role: Role,
    name: &str,
    password: &str,
) -> anyhow::Result<User> {
    let db = db::open_db(db_path).await?;
    let hashing = Gate::new("argon2", gate::HASHES_AT_ONCE, gate::WAIT);
    Ok(add_staff(&db, &hashing, role, name, password).await?)
}

/// `user reset-password` on the command line: a new password for the staff account `name`.
pub async fn reset_staff_password(
    db_path: &db::Target,
    name: &str,
    password: &str,
) -> anyhow::Result<User> {
    let db = db::open_db(db_path).await?;
    let hashing = Gate::new("argon2", gate::HASHES_AT_ONCE, gate::WAIT);
    let found = accounts::staff(&db, name.trim())
        .await?
        .ok_or_else(|| anyhow::anyhow!("nessun educatore o amministratore di nome «{name}»"))?;
    let hash = staff_password_hash(&hashing, password).await?;
    accounts::set_staff_secret(&db, &found.user.id, &hash, true).await?;
    Ok(found.user)
}

/// A new educator or admin: a valid name no one else on the staff has, and a long enough password.
pub async fn add_staff(
    db: &Db,
    hashing: &Gate,
    role: Role,
    name: &str,
    password: &str,
) -> Result<User, AdminError> {
    let name = crate::nicknames::normalize(name).map_err(Refusal::Name)?;
    let hash = staff_password_hash(hashing, password).await?;
    match accounts::create_user(db, role, None, &name, &hash, None).await {
        Ok(user) => Ok(user),
        Err(InsertError::Taken) => Err(Refusal::NameTaken(name).into()),
        Err(InsertError::Db(err)) => Err(err.into()),
    }
}

/// The hash to store for a staff password, once its length is checked, at its turn in `hashing`.
pub async fn staff_password_hash(hashing: &Gate, password: &str) -> Result<String, AdminError> {
    if !(MIN_STAFF_PASSWORD_CHARS..=MAX_SECRET_CHARS).contains(&password.chars().count()) {
        return Err(Refusal::Password.into());
    }
    let turn = hashing.enter().await?;
    Ok(passwords::hash(turn, password.to_owned()).await?)
}

/// `cohort create` on the command line: a cohort for a path of the content in `content_dir`, run
/// by the named educators.
pub async fn create_cohort(
    db_path: &db::Target,
    content_dir: &Path,
    name: &str,
    path_id: &str,
    educators: &[String],
) -> anyhow::Result<NewCohort> {
    let content = content::load(content_dir)?;
    let details = cohort_details::from_command_line(name, path_id, &content.bundle)?;
    let db = db::open_db(db_path).await?;
    let educators = educator_ids(&db, educators).await?;
    Ok(cohorts::create(&db, &details, &educators).await?)
}

/// The ids of the named educators, each of them active.
pub async fn educator_ids(db: &Db, names: &[String]) -> Result<Vec<String>, AdminError> {
    let mut ids = Vec::with_capacity(names.len());
    for name in names {
        match accounts::staff(db, name.trim()).await? {
            Some(found) if found.user.role == Role::Educator && !found.disabled => {
                ids.push(found.user.id);
            }
            _ => return Err(Refusal::UnknownEducator(name.clone()).into()),
        }
    }
    Ok(ids)
}
