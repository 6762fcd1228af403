//! The journal in browser storage, in keys that an action does not rewrite whole. Under a
//! profile's `journal` key (see `store::personal_key`) its head, a `Journal` as before: every
//! event not yet sealed (in the outbox, refused, waiting for its receipt, or recent), the
//! self-assessments, and a copy of each event the fold rests on (`Fold::witnesses`). Older events
//! the server holds are sealed, [`CHUNK`] at a time, into `journal.0`, `journal.1`… (journals
//! too, with only a log: one reader and writer for all) which are never written again;
//! `journal.sealed` counts them. An action writes only `journal.recent`, the actions since the
//! head was last written (an ack or a pull writes the head, taking them in).
//!
//! The head alone folds to the whole log's fold, so the app starts from it and merges the sealed
//! keys after the first paint, one per task ([`merge_sealed`]). `journal.basis` names the
//! programme and person the head's copies were picked for: another basis (or none) means the
//! sealed keys are read before the first fold. Measured in BENCHMARKS.md (bench-phone).

use crate::store::{move_text, personal_key, store_text, stored_text, write_text as write};
use gloo_storage::{LocalStorage, Storage};
use officina_core::outbox::Journal;
use officina_core::{EventKind, EventLog};
use std::cell::RefCell;
use std::collections::BTreeSet;
use uuid::Uuid;

/// Events per sealed key, written once: about 40 KB of JSON. The head keeps fewer than twice as
/// many that could be sealed (bench-phone measured 256 too).
const CHUNK: usize = 128;

/// Actions the `recent` key holds before an action writes the head instead: on a device that
/// does not sync (not joined yet, or offline for long) nothing else would, and the key would grow.
const RECENT: usize = 32;

/// What this visit knows of the stored keys.
#[derive(Default)]
struct Sealed {
    /// How many sealed keys there are.
    count: u32,
    /// How many there were at start: those this visit merges into the journal in memory.
    stored: u32,
    /// How many of those are merged, from the first.
    merged: u32,
    /// The events in memory not in a sealed key (as far as this visit knows: a witness's copy
    /// read with the head leaves when its sealed key is merged). The head is these and the
    /// witnesses, so that storing an action costs what the head holds, not the whole log.
    head: BTreeSet<Uuid>,
    /// The actions recorded since the head was last written: the `recent` key holds them.
    recent: BTreeSet<Uuid>,
    /// The basis stored, so an unchanged one is not written again.
    basis: Option<String>,
    /// Whether the app owes a fold of the whole log, asked for before it was all in memory.
    fold_owed: bool,
}

thread_local! {
    static SEALED: RefCell<Sealed> = RefCell::default();
}

fn key(name: &str) -> String {
    format!("{}.{name}", personal_key("journal"))
}

/// How many sealed keys the stored count names.
fn stored_count() -> u32 {
    count_under(&personal_key("journal"))
}

/// How many sealed keys the count beside the head `journal` names.
fn count_under(journal: &str) -> u32 {
    stored_text(&format!("{journal}.sealed"))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// Starts this visit's knowledge of the stored keys, `head` read: merges into it the actions
/// recorded since it was written (see [`record`]). Says whether it may be folded alone for
/// `basis` (the sealed keys are then merged later).
pub fn open(basis: &str, head: &mut Journal) -> bool {
    let count = stored_count();
    let stored = stored_text(&key("basis"));
    // An empty head with sealed keys is one that could not be read: not to be folded alone.
    let trusted = count == 0 || (stored.as_deref() == Some(basis) && !head.log.is_empty());
    // Only what the head does not hold: a head written after an action holds it, acked or not.
    let recent: Journal = LocalStorage::get(key("recent")).unwrap_or_default();
    let mut carried = BTreeSet::new();
    for event in recent.log.iter() {
        if head.log.get(&event.id).is_some() {
            continue;
        }
        carried.insert(event.id);
        if recent.outbox.contains(&event.id) {
            head.outbox.insert(event.id);
        }
        head.log.insert(event.clone());
    }
    SEALED.with_borrow_mut(|sealed| {
        *sealed = Sealed {
            count,
            stored: count,
            recent: carried,
            basis: stored,
            ..Sealed::default()
        };
        sealed.took(head.log.iter().map(|event| event.id));
    });
    trusted
}

/// Whether the next action may go to the `recent` key (else the head is written: see [`RECENT`]).
pub fn recent_has_room() -> bool {
    SEALED.with_borrow(|sealed| sealed.recent.len() < RECENT)
}

/// Stores the action `id` just recorded in `journal`: only the actions recorded since the head
/// was last written, in a key of their own (events and outbox entries together), so that a tap
/// costs what is unsent, not what the head holds. The next write of the head takes them in.
pub fn record(journal: &Journal, id: Uuid) -> Result<(), String> {
    SEALED.with_borrow_mut(|sealed| {
        sealed.recent.insert(id);
        let mut recent = Journal::default();
        recent.log.merge(
            (sealed.recent.iter())
                .filter_map(|id| journal.log.get(id))
                .cloned(),
        );
        // An action acked since, whose head could not be written, is kept but not sent again.
        for event in recent.log.iter().filter(|e| journal.outbox.contains(&e.id)) {
            recent.outbox.insert(event.id);
        }
        let json = serde_json::to_string(&recent).map_err(|err| err.to_string());
        match json.and_then(|json| write(&key("recent"), &json)) {
            Ok(()) => {
                sealed.took([id].into_iter());
                Ok(())
            }
            Err(err) => {
                sealed.recent.remove(&id);
                Err(err)
            }
        }
    })
}

/// Whether the stored head was written for another basis than `basis` (or for none).
pub fn rebased(basis: &str) -> bool {
    SEALED.with_borrow(|sealed| sealed.basis.as_deref() != Some(basis))
}

/// Whether no head was ever stored here (none read, none written).
pub fn none_stored() -> bool {
    SEALED.with_borrow(|sealed| sealed.basis.is_none() && sealed.count == 0)
}

/// Whether every sealed key is in the journal in memory.
pub fn complete() -> bool {
    SEALED.with_borrow(|sealed| sealed.merged == sealed.stored)
}

/// The next sealed key not yet merged, read; `None` once all are. An unreadable key is read as
/// empty (and left as it is, for whoever looks into it).
pub fn next_sealed() -> Option<EventLog> {
    SEALED.with_borrow_mut(|sealed| {
        if sealed.merged == sealed.stored {
            return None;
        }
        let key = key(&sealed.merged.to_string());
        let Journal { log, .. } = LocalStorage::get(key).unwrap_or_default();
        sealed.sealed(&log);
        sealed.merged += 1;
        Some(log)
    })
}

/// Notes whether a fold of the whole log is owed (see [`complete`]); says whether one was.
pub fn owe_fold(owed: bool) -> bool {
    SEALED.with_borrow_mut(|sealed| std::mem::replace(&mut sealed.fold_owed, owed))
}

impl Sealed {
    /// Notes events new to memory, none of them sealed yet.
    fn took(&mut self, ids: impl Iterator<Item = Uuid>) {
        for id in ids {
            self.head.insert(id);
        }
    }

    /// Notes the events of a sealed key.
    fn sealed(&mut self, log: &EventLog) {
        for event in log.iter() {
            self.head.remove(&event.id);
        }
    }
}

/// Stores `journal`, to which the events `added` are new, whose fold rests on `witnesses`, folded
/// for `basis` (unless a fold of the whole log is owed: see [`owe_fold`]): writes the head, then
/// seals what can be sealed. Says whether a key was sealed; the error says why the head could
/// not be stored.
pub fn save(
    journal: &mut Journal,
    added: &[Uuid],
    witnesses: &BTreeSet<Uuid>,
    basis: &str,
) -> Result<bool, String> {
    SEALED.with_borrow_mut(|sealed| {
        sealed.took(added.iter().copied());
        // Gone from memory: taken back, or the journal emptied.
        sealed.head.retain(|id| journal.log.get(id).is_some());
        let basis = (!sealed.fold_owed).then_some(basis);
        // A head written for another basis is not trusted until the basis is written after it.
        let rebased = sealed.basis.as_deref() != basis;
        if rebased {
            LocalStorage::delete(key("basis"));
        }
        write_head(sealed, journal, witnesses)?;
        if rebased {
            sealed.basis = basis
                .filter(|basis| store_text(&key("basis"), basis))
                .map(str::to_owned);
        }
        // The head holds the recent actions now.
        if !sealed.recent.is_empty() {
            LocalStorage::delete(key("recent"));
            sealed.recent.clear();
        }
        // Only what the stored head holds is sealed (a tab closed in between leaves it in both),
        // then the head is written again without it.
        let grew = seal(sealed, journal, witnesses);
        if grew {
            write_head(sealed, journal, witnesses)?;
        }
        Ok(grew)
    })
}

/// Writes the head: the events not sealed, and the witnesses.
fn write_head(
    sealed: &Sealed,
    journal: &mut Journal,
    witnesses: &BTreeSet<Uuid>,
) -> Result<(), String> {
    let mut head = EventLog::default();
    let ids = sealed.head.iter().chain(witnesses);
    head.merge(ids.filter_map(|id| journal.log.get(id)).cloned());
    // The journal written with the head for its log, for the time of the write.
    let whole = std::mem::replace(&mut journal.log, head);
    let json = serde_json::to_string(journal);
    journal.log = whole;
    write(
        &personal_key("journal"),
        &json.map_err(|err| err.to_string())?,
    )
}

/// Seals [`CHUNK`] events at a time while the head holds at least twice as many that can be:
/// the server holds them and they mean what they will always mean (received, not refused),
/// and the head does not need them (not a witness, not a self-assessment, which a path's
/// screen looks for). Each key is written before the count that names it. Says whether it
/// sealed any.
fn seal(sealed: &mut Sealed, journal: &Journal, witnesses: &BTreeSet<Uuid>) -> bool {
    let before = sealed.count;
    loop {
        let sealable: Vec<_> = (sealed.head.iter())
            .filter_map(|id| journal.log.get(id))
            .filter(|event| {
                event.received.is_some()
                    && event.kind != EventKind::SelfAssessed
                    && !witnesses.contains(&event.id)
                    && !journal.outbox.contains(&event.id)
                    && !journal.rejected.contains_key(&event.id)
            })
            .collect();
        // Another tab of the same profile sealed meanwhile: its keys are not overwritten.
        if sealable.len() < 2 * CHUNK || stored_count() != sealed.count {
            break;
        }
        let mut chunk = Journal::default();
        chunk.log.merge(sealable.into_iter().take(CHUNK).cloned());
        let next = key(&sealed.count.to_string());
        let Ok(json) = serde_json::to_string(&chunk) else {
            break;
        };
        if write(&next, &json).is_err() {
            break;
        }
        if write(&key("sealed"), &(sealed.count + 1).to_string()).is_err() {
            LocalStorage::delete(next);
            break;
        }
        sealed.count += 1;
        sealed.sealed(&chunk.log);
    }
    sealed.count > before
}

/// Removes the sealed keys (the journal is being emptied): before the head, so that a head
/// still naming them is never left with them gone and nothing else.
pub fn clear() {
    SEALED.with_borrow_mut(|sealed| {
        // Past the count too: a key whose count a closed tab never wrote.
        let mut n = 0;
        while n < sealed.count || stored_text(&key(&n.to_string())).is_some() {
            LocalStorage::delete(key(&n.to_string()));
            n += 1;
        }
        for name in ["sealed", "basis", "recent"] {
            LocalStorage::delete(key(name));
        }
        *sealed = Sealed::default();
    });
}

/// Moves the sealed keys from the device's own `journal` key to `to` (the first profile's).
pub fn adopt(from: &str, to: &str) {
    // The head could not be moved (storage full): the rest stays with it.
    if stored_text(from).is_some() {
        return;
    }
    let names = (0..count_under(from)).map(|n| n.to_string()).chain([
        "sealed".into(),
        "basis".into(),
        "recent".into(),
    ]);
    for name in names {
        move_text(&format!("{from}.{name}"), &format!("{to}.{name}"));
    }
}
