//! The administration commands: educator and admin accounts, cohorts and their join codes.

use crate::auth::{join_codes, passwords};
use crate::content;
use crate::db;
use crate::store::accounts::{self, InsertError};
use officina_core::account::{MAX_SECRET_CHARS, NicknameError, Role, User, normalize_nickname};
use std::path::Path;

/// Staff passwords protect many minors' data: longer than a learner's PIN.
pub const MIN_STAFF_PASSWORD_CHARS: usize = 10;

#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error("nome non valido: {0}")]
    Name(#[from] NicknameError),
    #[error("la password deve avere da {MIN_STAFF_PASSWORD_CHARS} a {MAX_SECRET_CHARS} caratteri")]
    Password,
    #[error("esiste già un account di nome «{0}»")]
    NameTaken(String),
    #[error("il percorso «{0}» non esiste nei contenuti")]
    UnknownPath(String),
    #[error("nessun educatore di nome «{0}»")]
    UnknownEducator(String),
}

/// A new cohort and the code its members join with.
pub struct NewCohort {
    pub id: String,
    pub join_code: String,
}

pub async fn create_staff(
    db_path: &Path,
    role: Role,
    name: &str,
    password: &str,
) -> anyhow::Result<User> {
    let name = normalize_nickname(name).map_err(AdminError::Name)?;
    if !(MIN_STAFF_PASSWORD_CHARS..=MAX_SECRET_CHARS).contains(&password.chars().count()) {
        return Err(AdminError::Password.into());
    }
    let db = db::open(db_path).await?;
    let hash = passwords::hash(password.to_owned()).await?;
    match accounts::create_user(&db, role, None, &name, &hash, None).await {
        Ok(user) => Ok(user),
        Err(InsertError::Taken) => Err(AdminError::NameTaken(name).into()),
        Err(InsertError::Db(err)) => Err(err.into()),
    }
}

/// Creates a cohort for a path of the content in `content_dir`, run by the named educators.
pub async fn create_cohort(
    db_path: &Path,
    content_dir: &Path,
    name: &str,
    path_id: &str,
    educators: &[String],
) -> anyhow::Result<NewCohort> {
    let content = content::load(content_dir)?;
    if content.bundle.path(path_id).is_none() {
        return Err(AdminError::UnknownPath(path_id.to_owned()).into());
    }
    let db = db::open(db_path).await?;
    let mut staff = Vec::with_capacity(educators.len());
    for educator in educators {
        match accounts::staff(&db, educator).await? {
            Some(found) if found.user.role == Role::Educator => staff.push(found.user),
            _ => return Err(AdminError::UnknownEducator(educator.clone()).into()),
        }
    }
    // A fresh code collides with an existing one about once in 10^11: draw again then.
    let (id, join_code) = loop {
        let join_code = join_codes::generate()?;
        match accounts::create_cohort(&db, name, path_id, &join_code).await {
            Ok(id) => break (id, join_code),
            Err(InsertError::Taken) => continue,
            Err(InsertError::Db(err)) => return Err(err.into()),
        }
    };
    for educator in &staff {
        accounts::add_cohort_educator(&db, &id, &educator.id).await?;
    }
    Ok(NewCohort { id, join_code })
}
