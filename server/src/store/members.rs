//! A cohort's members as its educators manage them: correcting the role someone joined with.

use super::backend::{Db, on};
use super::cohorts::{ROSTER_COLUMNS, RosterRow};
use officina_core::account::{AgeBand, Role};
use officina_core::staff::RosterMember;

/// The age band a member gets: `$2` for a learner, else the one they have, else under 14; none for
/// a parent.
const BAND: &str = "(CASE $1 WHEN 'learner' THEN COALESCE($2, age_band, 'under_14') END)";

/// What became of a role change.
#[derive(Debug)]
pub enum RoleChange {
    Changed(RosterMember),
    /// No such member in the cohort.
    NotFound,
    /// Something the member has depends on the role they have.
    InUse,
}

/// Gives member `user_id` of `cohort_id` the role `role` and, for a learner, `age_band` (without
/// one, the band they have, or under 14: the careful default). Refused when something depends on
/// the role they have: a family task they confirmed, a family link or a family code still usable,
/// a badge assertion issued to them. Asking for the role and band they already have is always
/// fine, and so is telling a learner who said 14 or more that they are under 14 (their badges then
/// need consent, and those issued stop being public until it is given). One statement under the
/// write lock, so the check and the change cannot be split by another request (a push's
/// confirmation, a link).
pub async fn change_role(
    db: &Db,
    cohort_id: &str,
    user_id: &str,
    role: Role,
    age_band: Option<AgeBand>,
) -> Result<RoleChange, sqlx::Error> {
    let sql = format!(
        "UPDATE users SET role = $1, age_band = {BAND}
         WHERE id = $3 AND cohort_id = $4 AND role IN ('learner', 'parent')
           AND ((role = $1 AND age_band IS NOT DISTINCT FROM {BAND})
             OR (role = 'learner' AND $1 = 'learner' AND {BAND} = 'under_14') OR NOT (
                EXISTS (SELECT 1 FROM events WHERE user_id = $3 AND kind = 'family_task_confirmed')
             OR EXISTS (SELECT 1 FROM family_links WHERE parent_id = $3 OR child_id = $3)
             OR EXISTS (SELECT 1 FROM family_codes WHERE user_id = $3 AND used_at IS NULL
                          AND expires_at > $5)
             OR EXISTS (SELECT 1 FROM assertions WHERE user_id = $3)))
         RETURNING {ROSTER_COLUMNS}"
    );
    let mut tx = db.begin_write().await?;
    let changed: Option<RosterRow> = on!(tx.conn(), c => sqlx::query_as(&sql)
        .bind(role.as_str())
        .bind(age_band.map(AgeBand::as_str))
        .bind(user_id)
        .bind(cohort_id)
        .bind(super::clock::now_seconds())
        .fetch_optional(c)
        .await)?;
    let sql =
        "SELECT id FROM users WHERE id = $1 AND cohort_id = $2 AND role IN ('learner', 'parent')";
    let member: Option<String> = on!(tx.conn(), c => sqlx::query_scalar(sql)
        .bind(user_id)
        .bind(cohort_id)
        .fetch_optional(c)
        .await)?;
    tx.commit().await?;
    Ok(match (changed, member) {
        (Some(changed), _) => RoleChange::Changed(changed.into_member()?),
        (None, Some(_)) => RoleChange::InUse,
        (None, None) => RoleChange::NotFound,
    })
}
