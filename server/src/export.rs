//! A person's data, whole (GDPR art. 15 and 20): one ZIP with `dati.json` — the account, their own
//! events, their badges with public URLs, their family links — and their photos under `foto/`.
//! Nothing of anyone else's: a relative's events and reflections are not theirs to take.

use crate::openbadges::{Issuer, documents};
use crate::photos::files::PhotoDir;
use crate::store::backend::Db;
use crate::store::export::{self, Account, OwnEvent, Photo};
use crate::store::{assertions, family};
use officina_core::payload::redact_private;
use serde::Serialize;
use std::io::{Seek, SeekFrom, Write};
use zip::write::SimpleFileOptions;

#[derive(Serialize)]
struct Data {
    exported_at: String,
    account: Account,
    events: Vec<OwnEvent>,
    badges: Vec<Badge>,
    public_profile: Option<String>,
    family: Vec<Relative>,
    photos: Vec<Photo>,
}

#[derive(Serialize)]
struct Badge {
    id: String,
    badge_id: String,
    earned_on: String,
    issued_on: String,
    revoked_on: Option<String>,
    url: String,
}

#[derive(Serialize)]
struct Relative {
    nickname: String,
    /// Whether they are the person's `parent` or `child`.
    side: &'static str,
    state: officina_core::consent::LinkState,
}

/// Everything about `user_id`, read now; `None` for no such learner or parent. For `parent`, a
/// parent asking for their child's data, it leaves out what is the child's alone (the private
/// reflections of family tasks) and the child's other relatives.
pub async fn gather(
    db: &Db,
    issuer: &Issuer,
    user_id: &str,
    parent: Option<&str>,
    now: String,
) -> Result<Option<Gathered>, sqlx::Error> {
    let Some(account) = export::account(db, user_id).await? else {
        return Ok(None);
    };
    let badges: Vec<Badge> = assertions::of_user(db, user_id)
        .await?
        .into_iter()
        .map(|a| Badge {
            url: issuer.url(&documents::assertion_path(&a.id)),
            id: a.id,
            badge_id: a.badge_id,
            earned_on: a.earned_on,
            issued_on: a.issued_on,
            revoked_on: a.revoked_on,
        })
        .collect();
    let public_profile = match badges.is_empty() {
        true => None,
        false => Some(issuer.url(&documents::profile_path(
            &assertions::recipient(db, user_id).await?.public_id,
        ))),
    };
    let relatives = |side, list: Vec<family::Relative>| {
        list.into_iter()
            .filter(move |r| parent.is_none_or(|p| p == r.id))
            .map(move |r| Relative {
                nickname: r.nickname,
                side,
                state: r.state,
            })
    };
    let mut family = relatives("parent", family::parents(db, user_id).await?).collect::<Vec<_>>();
    family.extend(relatives("child", family::children(db, user_id).await?));
    let mut events = export::own_events(db, user_id).await?;
    if parent.is_some() {
        for event in &mut events {
            redact_private(&mut event.data.0);
        }
    }
    let data = Data {
        exported_at: now,
        events,
        photos: export::photos(db, user_id).await?,
        account,
        badges,
        public_profile,
        family,
    };
    Ok(Some(Gathered(data)))
}

/// An account's data, read and ready to be written as a ZIP.
pub struct Gathered(Data);

impl Gathered {
    /// The file name people see: `officina-dati-NICKNAME-DATE.zip`, with only safe characters.
    pub fn file_name(&self) -> String {
        let nickname: String = self
            .0
            .account
            .nickname
            .chars()
            .map(|c| if c.is_alphanumeric() { c } else { '-' })
            .collect();
        let date = self.0.exported_at.get(..10).unwrap_or_default();
        format!("officina-dati-{nickname}-{date}.zip")
    }

    /// The ZIP in an anonymous temporary file (gone once closed), rewound, and its length.
    pub fn zip_file(&self, photos: &PhotoDir) -> anyhow::Result<(std::fs::File, u64)> {
        let mut file = self.zip(photos, tempfile::tempfile()?)?;
        let length = file.seek(SeekFrom::End(0))?;
        file.rewind()?;
        Ok((file, length))
    }

    /// The ZIP written into `out`: `dati.json`, a short `LEGGIMI.txt`, and each photo as
    /// `foto/ID.jpg`, stored as it is (JPEG does not compress further). A photo whose file is
    /// missing is listed in `dati.json` without one.
    pub fn zip<W: Write + Seek>(&self, photos: &PhotoDir, out: W) -> anyhow::Result<W> {
        let mut zip = zip::ZipWriter::new(out);
        let text = SimpleFileOptions::default();
        zip.start_file("LEGGIMI.txt", text)?;
        zip.write_all(README.as_bytes())?;
        zip.start_file("dati.json", text)?;
        serde_json::to_writer_pretty(&mut zip, &self.0)?;
        let stored = text.compression_method(zip::CompressionMethod::Stored);
        for photo in &self.0.photos {
            let Ok(bytes) = std::fs::read(photos.stored(&photo.sha256)) else {
                continue;
            };
            zip.start_file(format!("foto/{}.jpg", photo.id), stored)?;
            zip.write_all(&bytes)?;
        }
        Ok(zip.finish()?)
    }
}

const README: &str = "\
I tuoi dati in Officina.

dati.json: il tuo account (soprannome, gruppo, fascia d'età, date), tutte le tue attività così
come le ha ricevute il server (con le revisioni e i badge che gli educatori ti hanno dato), i tuoi
badge con il loro indirizzo pubblico, i collegamenti famiglia. foto/: le foto che hai inviato.
Non contiene il tuo PIN, che Officina non conosce (ne tiene solo un'impronta), né dati di altre
persone.
";
