//! The command line's data rights: an admin exports or erases an account for someone who cannot
//! use the app, and erases the accounts of cohorts ended long ago (retention). Each says what it
//! did, one line at a time, through `say`.

use crate::cli::{EraseArgs, ErasingArgs, ExportArgs, RetentionArgs};
use crate::openbadges::Issuer;
use crate::photos::files::PhotoDir;
use crate::store::backend::Db;
use crate::store::{clock, erasure as store};
use crate::{content, db, erasure, export};
use anyhow::Context;
use officina_core::Bundle;

/// `export --user ID --to FILE`.
pub async fn export(args: &ExportArgs, say: &mut impl FnMut(String)) -> anyhow::Result<()> {
    let db = db::open_existing_db(&args.db.db).await?;
    let issuer = Issuer {
        public_url: args.public_url.clone(),
        email: String::new(),
    };
    let now = clock::now_seconds();
    let gathered = export::gather(&db, &issuer, &args.user, None, now)
        .await?
        .with_context(|| format!("nessun ragazzo o genitore con id {}", args.user))?;
    let photos = PhotoDir::existing(&args.photos.dir(&args.db)?);
    let file = std::fs::File::create(&args.to)
        .with_context(|| format!("non riesco a scrivere {}", args.to.display()))?;
    gathered.zip(&photos, file)?.sync_all()?;
    say(format!("dati esportati in {}", args.to.display()));
    Ok(())
}

/// `erase --user ID`.
pub async fn erase(args: &EraseArgs, say: &mut impl FnMut(String)) -> anyhow::Result<()> {
    let (db, bundle, photos) = open(&args.erasing).await?;
    let erased = erasure::erase(&db, &bundle, &photos, &args.user)
        .await?
        .with_context(|| format!("nessun ragazzo o genitore con id {}", args.user))?;
    say(erased_line(&erased));
    Ok(())
}

/// `retention --older-than DAYS [--dry-run]`.
pub async fn retention(args: &RetentionArgs, say: &mut impl FnMut(String)) -> anyhow::Result<()> {
    let (db, bundle, photos) = open(&args.erasing).await?;
    let expired = store::ended_before(&db, args.older_than).await?;
    for account in &expired {
        let cohort = format!("gruppo {} (finito il {})", account.cohort, account.ended_on);
        if args.dry_run {
            say(format!("da cancellare: {} — {cohort}", account.nickname));
        } else if let Some(erased) = erasure::erase(&db, &bundle, &photos, &account.id).await? {
            say(format!("{} — {cohort}", erased_line(&erased)));
        }
    }
    let what = if args.dry_run {
        "da cancellare"
    } else {
        "cancellati"
    };
    say(format!("account {what}: {}", expired.len()));
    Ok(())
}

async fn open(args: &ErasingArgs) -> anyhow::Result<(Db, Bundle, PhotoDir)> {
    let content = content::load(&args.content)?;
    let db = db::open_existing_db(&args.db.db).await?;
    let photos = PhotoDir::existing(&args.photos.dir(&args.db)?);
    Ok((db, content.bundle, photos))
}

fn erased_line(erased: &erasure::Erased) -> String {
    format!(
        "cancellato: {} (attività {}, foto {}, badge ritirati {})",
        erased.nickname, erased.events, erased.photos, erased.badges
    )
}
