//! Consent for learners under 14: the family links an educator confirms and the consent on paper
//! an educator records. Either lets a learner's badges leave Officina; a pending link counts for
//! nothing at all (see `family`).

use super::{clock, decode_name, events};
use officina_core::consent::{FamilyLink, LinkedAccount};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection, SqliteExecutor, SqlitePool};

/// Whether `user_id` is a learner under 14 without consent: no confirmed parent's link and no
/// consent on paper. Then their badges stay in Officina: nothing is issued, their public profile
/// and the assertions issued before (consent withdrawn by unlinking) answer 404.
pub async fn needed(db: impl SqliteExecutor<'_>, user_id: &str) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT role = 'learner' AND age_band = 'under_14' AND paper_consent_at IS NULL
                AND NOT EXISTS (SELECT 1 FROM family_links
                                WHERE child_id = users.id AND confirmed_at IS NOT NULL)
         FROM users WHERE id = $1",
    )
    .bind(user_id)
    .fetch_optional(db)
    .await
    .map(|needs| needs.unwrap_or(false))
}

/// Every link whose child is a member of `cohort_id`, the parent's cohort whichever it is: pending
/// ones first, then newest first.
pub async fn links_of_cohort(
    db: &SqlitePool,
    cohort_id: &str,
) -> Result<Vec<FamilyLink>, sqlx::Error> {
    sqlx::query(
        "SELECT l.id, l.created_at, l.confirmed_at,
                p.id AS p_id, p.nickname AS p_nickname, p.created_at AS p_created_at,
                pc.id AS p_cohort_id, pc.name AS p_cohort_name,
                k.id AS k_id, k.nickname AS k_nickname, k.created_at AS k_created_at,
                kc.id AS k_cohort_id, kc.name AS k_cohort_name
         FROM family_links AS l
         JOIN users AS k ON k.id = l.child_id JOIN cohorts AS kc ON kc.id = k.cohort_id
         JOIN users AS p ON p.id = l.parent_id JOIN cohorts AS pc ON pc.id = p.cohort_id
         WHERE k.cohort_id = $1 AND k.removed_at IS NULL AND p.removed_at IS NULL
         ORDER BY l.confirmed_at IS NOT NULL, l.created_at DESC, l.id",
    )
    .bind(cohort_id)
    .try_map(|row: SqliteRow| {
        let confirmed_at: Option<String> = row.try_get("confirmed_at")?;
        let state = if confirmed_at.is_some() {
            "confirmed"
        } else {
            "pending"
        };
        Ok(FamilyLink {
            id: row.try_get("id")?,
            state: decode_name(state.to_owned())?,
            created_at: row.try_get("created_at")?,
            confirmed_at,
            parent: linked_account(&row, "p_")?,
            child: linked_account(&row, "k_")?,
        })
    })
    .fetch_all(db)
    .await
}

fn linked_account(row: &SqliteRow, prefix: &str) -> Result<LinkedAccount, sqlx::Error> {
    let column = |name: &str| row.try_get::<String, _>(format!("{prefix}{name}").as_str());
    Ok(LinkedAccount {
        id: column("id")?,
        nickname: column("nickname")?,
        cohort_id: column("cohort_id")?,
        cohort_name: column("cohort_name")?,
        created_at: column("created_at")?,
    })
}

/// Confirms link `link_id` if its child is a member of `cohort_id`, on behalf of `educator_id`;
/// whether there was such a link. Confirming twice changes nothing. The link takes effect in the
/// same transaction: each side's family-task confirmations are delivered to the other's devices.
pub async fn confirm(
    db: &SqlitePool,
    cohort_id: &str,
    link_id: &str,
    educator_id: &str,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.begin().await?;
    let sql = format!(
        "UPDATE family_links SET confirmed_at = $4, confirmed_by = $2
         WHERE id = $3 AND confirmed_at IS NULL AND {CHILD_IN_COHORT}
         RETURNING parent_id, child_id"
    );
    let newly: Option<(String, String)> = sqlx::query_as(&sql)
        .bind(cohort_id)
        .bind(educator_id)
        .bind(link_id)
        .bind(clock::now())
        .fetch_optional(&mut *tx)
        .await?;
    let found = match newly {
        Some((parent, child)) => {
            redeliver_confirmations(&mut tx, &parent, &child).await?;
            true
        }
        None => {
            let sql = format!(
                "SELECT EXISTS (SELECT 1 FROM family_links WHERE id = $2 AND {CHILD_IN_COHORT})"
            );
            sqlx::query_scalar(&sql)
                .bind(cohort_id)
                .bind(link_id)
                .fetch_one(&mut *tx)
                .await?
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
pub async fn remove_link(
    db: &SqlitePool,
    cohort_id: &str,
    link_id: &str,
) -> Result<bool, sqlx::Error> {
    let sql = format!("DELETE FROM family_links WHERE id = $2 AND {CHILD_IN_COHORT}");
    let removed = sqlx::query(&sql)
        .bind(cohort_id)
        .bind(link_id)
        .execute(db)
        .await?;
    Ok(removed.rows_affected() > 0)
}

/// Records (or takes back) consent on paper for learner `user_id` of `cohort_id`, on behalf of
/// `educator_id`; whether there is such a learner. Recording it again keeps who recorded it first.
pub async fn set_paper(
    db: &SqlitePool,
    cohort_id: &str,
    user_id: &str,
    educator_id: &str,
    paper: bool,
) -> Result<bool, sqlx::Error> {
    let updated = sqlx::query(
        "UPDATE users SET
             paper_consent_at = CASE WHEN $1 THEN COALESCE(paper_consent_at, $5) END,
             paper_consent_by = CASE WHEN $1 THEN COALESCE(paper_consent_by, $2) END
         WHERE id = $3 AND cohort_id = $4 AND role = 'learner' AND removed_at IS NULL",
    )
    .bind(paper)
    .bind(educator_id)
    .bind(user_id)
    .bind(cohort_id)
    .bind(clock::now())
    .execute(db)
    .await?;
    Ok(updated.rows_affected() == 1)
}

/// Once a link takes effect, each side's earlier family-task confirmations must reach the other's
/// devices, whose cursors are already past them: they move to the end of the log (the next `seq`s,
/// in their old order), so every device pulls them on its next sync, once. Devices that had them
/// already receive them again as duplicates, which change nothing. One `seq` per confirmation
/// moved, so confirming links grows `seq` only as fast as pushing would.
async fn redeliver_confirmations(
    tx: &mut SqliteConnection,
    parent_id: &str,
    child_id: &str,
) -> Result<(), sqlx::Error> {
    let moved: Vec<i64> = sqlx::query_scalar(
        "SELECT seq FROM events WHERE kind = 'family_task_confirmed' AND user_id IN ($1, $2)
         ORDER BY seq",
    )
    .bind(parent_id)
    .bind(child_id)
    .fetch_all(&mut *tx)
    .await?;
    if moved.is_empty() {
        return Ok(());
    }
    let mut next = events::highest_given(&mut *tx).await?;
    for seq in moved {
        next += 1;
        // AUTOINCREMENT goes on from the highest `seq` in the table.
        sqlx::query("UPDATE events SET seq = $1 WHERE seq = $2")
            .bind(next)
            .bind(seq)
            .execute(&mut *tx)
            .await?;
    }
    Ok(())
}
