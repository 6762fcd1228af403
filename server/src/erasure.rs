//! Erasing an account (GDPR art. 17), for the API and the command line alike: nothing of theirs is
//! left — account, sessions, codes, family links, events, photos and their files, badges (whose
//! public URLs answer 410 from then on) — but what they had added to the impact report's counts,
//! summed per cohort with no one identifiable, so reports of the past still add up.

use crate::photos::files::PhotoDir;
use crate::store::backend::{Conn, Db, on};
use crate::store::erasure::{self, Deleted};
use crate::store::{events, family, photos as photo_store, reports::ReportCohort};
use officina_core::Bundle;
use officina_core::cohort::MemberLog;
use officina_core::impact::Reach;
use std::collections::BTreeMap;

/// What was erased, to say so.
#[derive(Debug)]
pub struct Erased {
    pub nickname: String,
    pub events: u64,
    pub photos: usize,
    pub badges: u64,
}

/// Erases learner or parent `user_id`; `None` if there is no such account (staff accounts are
/// disabled, not erased). Photos first: whatever fails after, no picture of theirs is left on disk
/// (an erasure cut short is asked again). Then one transaction under the write lock (see
/// `Db::begin_write`), so no push of theirs or of a relative's comes between what is counted
/// and what is deleted; a photo that arrived meanwhile goes once it is committed.
pub async fn erase(
    db: &Db,
    bundle: &Bundle,
    photos: &PhotoDir,
    user_id: &str,
) -> anyhow::Result<Option<Erased>> {
    let present = erasure::photo_files(db.acquire().await?.conn(), user_id).await?;
    remove_files(db, photos, user_id, &present).await?;
    let mut tx = db.begin_write().await?;
    let sql = "DELETE FROM sessions WHERE user_id = $1";
    on!(tx.conn(), c => sqlx::query(sql).bind(user_id).execute(c).await.map(drop))?;
    let Some((member, _)) = erasure::member(tx.conn(), user_id).await? else {
        return Ok(None);
    };
    // A relative's family tasks counted this account's confirmations: what they lose is kept too.
    let relatives = family::confirmed_relatives(tx.conn(), user_id).await?;
    let mut everyone = relatives.clone();
    everyone.push(user_id.to_owned());
    let before = counts(tx.conn(), bundle, &everyone).await?;
    let deleted = erasure::delete_account(tx.conn(), user_id).await?;
    let after = counts(tx.conn(), bundle, &relatives).await?;
    for (cohort, counted) in &before {
        let kept = counted.lost_in(after.get(cohort).unwrap_or(&Reach::default()));
        erasure::keep_counts(tx.conn(), cohort, &kept).await?;
    }
    tx.commit().await?;
    let photos_removed = remove_files(db, photos, user_id, &deleted).await?;
    Ok(Some(Erased {
        nickname: member.nickname,
        events: deleted.events,
        photos: photos_removed,
        badges: deleted.assertions,
    }))
}

/// What these members add to the impact report's counts, summed by cohort.
async fn counts(
    mut conn: Conn<'_>,
    bundle: &Bundle,
    members: &[String],
) -> anyhow::Result<BTreeMap<String, Reach>> {
    let mut by_cohort: BTreeMap<String, Reach> = BTreeMap::new();
    for id in members {
        let Some((member, cohort)) = erasure::member(conn.reborrow(), id).await? else {
            continue;
        };
        let ReportCohort {
            id: cohort_id,
            path_id,
            xp_and_streaks,
            ..
        } = cohort;
        // A cohort whose path left the content is in no report.
        let Some(path) = bundle.path(&path_id) else {
            continue;
        };
        let log = events::log_of(conn.reborrow(), id).await?;
        let member = MemberLog::of_log(member, &log, bundle);
        let reach = Reach::of_member(bundle, path, xp_and_streaks, &member);
        by_cohort.entry(cohort_id).or_default().absorb(&reach);
    }
    Ok(by_cohort)
}

/// Deletes `user_id`'s photo files that no one else's photo uses, and their partial uploads; how
/// many photos.
async fn remove_files(
    db: &Db,
    photos: &PhotoDir,
    user_id: &str,
    deleted: &Deleted,
) -> anyhow::Result<usize> {
    for sha256 in &deleted.photo_files {
        if !photo_store::file_in_use(db, sha256, Some(user_id)).await? {
            photos.remove_stored(sha256)?;
        }
    }
    for upload in &deleted.uploads {
        photos.remove_partial(upload)?;
    }
    Ok(deleted.photo_files.len())
}
