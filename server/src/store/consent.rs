//! Consent for learners under 14: the family links an educator confirms and the consent on paper
//! an educator records. Either lets a learner's badges leave Officina; a pending link counts for
//! nothing at all (see `family`).

use super::backend::{Conn, Db, on};
use super::{clock, decode_name, events};
use officina_core::consent::{FamilyLink, LinkedAccount};
use sqlx::FromRow;

/// Whether `user_id` is a learner under 14 without consent: no confirmed parent's link and no
/// consent on paper. Then their badges stay in Officina: nothing is issued, their public profile
/// and the assertions issued before (consent withdrawn by unlinking) answer 404.
pub async fn needed(conn: Conn<'_>, user_id: &str) -> Result<bool, sqlx::Error> {
    // A learner who never said their age band (accounts older than migration 0011) is taken as
    // under 14, as `accounts::is_under_14` does: the careful reading.
    let sql = "SELECT role = 'learner' AND COALESCE(age_band, 'under_14') = 'under_14'
                AND paper_consent_at IS NULL
                AND NOT EXISTS (SELECT 1 FROM family_links
                                WHERE child_id = users.id AND confirmed_at IS NOT NULL)
         FROM users WHERE id = $1";
    let needs: Option<bool> =
        on!(conn, c => sqlx::query_scalar(sql).bind(user_id).fetch_optional(c).await)?;
    Ok(needs.unwrap_or(false))
}

/// Every link whose child is a member of `cohort_id`, the parent's cohort whichever it is: pending
/// ones first, then newest first.
pub async fn links_of_cohort(db: &Db, cohort_id: &str) -> Result<Vec<FamilyLink>, sqlx::Error> {
    let sql = "SELECT l.id, l.created_at, l.confirmed_at,
                p.id AS p_id, p.nickname AS p_nickname, p.created_at AS p_created_at,
                pc.id AS p_cohort_id, pc.name AS p_cohort_name,
                k.id AS k_id, k.nickname AS k_nickname, k.created_at AS k_created_at,
                kc.id AS k_cohort_id, kc.name AS k_cohort_name
         FROM family_links AS l
         JOIN users AS k ON k.id = l.child_id JOIN cohorts AS kc ON kc.id = k.cohort_id
         JOIN users AS p ON p.id = l.parent_id JOIN cohorts AS pc ON pc.id = p.cohort_id
         WHERE k.cohort_id = $1 AND k.removed_at IS NULL AND p.removed_at IS NULL
         ORDER BY l.confirmed_at IS NOT NULL, l.created_at DESC, l.id";
    let rows: Vec<LinkRow> = on!(db, c => sqlx::query_as(sql).bind(cohort_id).fetch_all(c).await)?;
    rows.into_iter().map(LinkRow::into_link).collect()
}

/// A row of [`links_of_cohort`]: the link, its parent (`p_`) and its child (`k_`).
#[derive(FromRow)]
struct LinkRow {
    id: String,
    created_at: String,
    confirmed_at: Option<String>,
    p_id: String,
    p_nickname: String,
    p_created_at: String,
    p_cohort_id: String,
    p_cohort_name: String,
    k_id: String,
    k_nickname: String,
    k_created_at: String,
    k_cohort_id: String,
    k_cohort_name: String,
}

impl LinkRow {
    fn into_link(self) -> Result<FamilyLink, sqlx::Error> {
        let state = if self.confirmed_at.is_some() {
            "confirmed"
        } else {
            "pending"
        };
        Ok(FamilyLink {
            id: self.id,
            state: decode_name(state.to_owned())?,
            created_at: self.created_at,
            confirmed_at: self.confirmed_at,
            parent: LinkedAccount {
                id: self.p_id,
                nickname: self.p_nickname,
                cohort_id: self.p_cohort_id,
                cohort_name: self.p_cohort_name,
                created_at: self.p_created_at,
            },
            child: LinkedAccount {
                id: self.k_id,
                nickname: self.k_nickname,
                cohort_id: self.k_cohort_id,
                cohort_name: self.k_cohort_name,
                created_at: self.k_created_at,
            },
        })
    }
}

/// Confirms link `link_id` if its child is a member of `cohort_id`, on behalf of `educator_id`;
/// whether there was such a link. Confirming twice changes nothing. The link takes effect in the
/// same transaction: each side's family-task confirmations are delivered to the other's devices.
pub async fn confirm(
    db: &Db,
    cohort_id: &str,
    link_id: &str,
    educator_id: &str,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let sql = format!(
        "UPDATE family_links SET confirmed_at = $4, confirmed_by = $2
         WHERE id = $3 AND confirmed_at IS NULL AND {CHILD_IN_COHORT}
         RETURNING parent_id, child_id"
    );
    let newly: Option<(String, String)> = on!(tx.conn(), c => sqlx::query_as(&sql)
        .bind(cohort_id)
        .bind(educator_id)
        .bind(link_id)
        .bind(clock::now())
        .fetch_optional(c)
        .await)?;
    let found = match newly {
        Some((parent, child)) => {
            redeliver_confirmations(tx.conn(), &parent, &child).await?;
            true
        }
        None => {
            let sql = format!(
                "SELECT EXISTS (SELECT 1 FROM family_links WHERE id = $2 AND {CHILD_IN_COHORT})"
            );
            on!(tx.conn(), c => sqlx::query_scalar(&sql)
                .bind(cohort_id)
                .bind(link_id)
                .fetch_one(c)
                .await)?
        }
    };
    tx.commit().await?;
    Ok(found)
}

/// The link's child is a current member of the cohort bound first, `$1` (and its parent was not
/// removed: `remove_member` ends their links, this holds even so).
const CHILD_IN_COHORT: &str =
    "child_id IN (SELECT id FROM users WHERE cohort_id = $1 AND removed_at IS NULL)
     AND parent_id IN (SELECT id FROM users WHERE removed_at IS NULL)";

/// An educator ends link `link_id` (a parent they did not meet), if its child is a member of
/// `cohort_id`; whether there was such a link.
pub async fn remove_link(db: &Db, cohort_id: &str, link_id: &str) -> Result<bool, sqlx::Error> {
    let sql = format!("DELETE FROM family_links WHERE id = $2 AND {CHILD_IN_COHORT}");
    let removed = on!(db, c => sqlx::query(&sql)
        .bind(cohort_id)
        .bind(link_id)
        .execute(c)
        .await
        .map(|done| done.rows_affected()))?;
    Ok(removed > 0)
}

/// Records (or takes back) consent on paper for learner `user_id` of `cohort_id`, on behalf of
/// `educator_id`; whether there is such a learner. Recording it again keeps who recorded it first.
pub async fn set_paper(
    db: &Db,
    cohort_id: &str,
    user_id: &str,
    educator_id: &str,
    paper: bool,
) -> Result<bool, sqlx::Error> {
    let sql = "UPDATE users SET
             paper_consent_at = CASE WHEN $1 THEN COALESCE(paper_consent_at, $5) END,
             paper_consent_by = CASE WHEN $1 THEN COALESCE(paper_consent_by, $2) END
         WHERE id = $3 AND cohort_id = $4 AND role = 'learner' AND removed_at IS NULL";
    let updated = on!(db, c => sqlx::query(sql)
        .bind(paper)
        .bind(educator_id)
        .bind(user_id)
        .bind(cohort_id)
        .bind(clock::now())
        .execute(c)
        .await
        .map(|done| done.rows_affected()))?;
    Ok(updated == 1)
}

/// Once a link takes effect, each side's earlier family-task confirmations must reach the other's
/// devices, whose cursors are already past them: they move to the end of the log (the next `seq`s,
/// in their old order), so every device pulls them on its next sync, once. Devices that had them
/// already receive them again as duplicates, which change nothing. One `seq` per confirmation
/// moved, so confirming links grows `seq` only as fast as pushing would.
async fn redeliver_confirmations(
    mut conn: Conn<'_>,
    parent_id: &str,
    child_id: &str,
) -> Result<(), sqlx::Error> {
    let sql = "SELECT seq FROM events WHERE kind = 'family_task_confirmed' AND user_id IN ($1, $2)
         ORDER BY seq";
    let moved: Vec<i64> = on!(conn.reborrow(), c => sqlx::query_scalar(sql)
        .bind(parent_id)
        .bind(child_id)
        .fetch_all(c)
        .await)?;
    for seq in moved {
        events::move_to_end(conn.reborrow(), seq).await?;
    }
    Ok(())
}
