//! The app's shared state, provided as context: the programme, the journal, the network and
//! the language, plus the actions that record events.

use crate::photos::Upload;
use crate::{i18n, store, stored_journal, sync};
use leptos::prelude::*;
use officina_core::account::{Role, Session};
use officina_core::fold::Fold;
use officina_core::outbox::{Changed, Journal};
use officina_core::payload::Answers;
use officina_core::payload::Payload;
use officina_core::progress::Progress;
use officina_core::rules::{self, Rejection};
use officina_core::{Bundle, Event, Lang};
use uuid::Uuid;

/// How much room the browser's storage has left for Officina's data (see [`AppState::check_room`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Room {
    Enough,
    /// Nearly full: the learner is told before an action cannot be stored.
    Low,
    /// An action could not be stored, and was taken back.
    Full,
}

/// Why an action was not recorded.
#[derive(Debug, PartialEq)]
pub enum NotRecorded {
    /// The server would refuse it.
    Refused(Rejection),
    /// Storage is full: it was taken back.
    StorageFull,
}

/// Whether the programme is here yet.
#[derive(Debug, Clone, PartialEq)]
pub enum ContentState {
    Loading,
    Ready(Bundle),
    /// Never downloaded, and the server cannot be reached now.
    Unavailable,
}

#[derive(Clone, Copy)]
pub struct AppState {
    pub content: RwSignal<ContentState>,
    pub journal: RwSignal<Journal>,
    /// The journal folded by the programme's rules, as this person's, for progress, badges,
    /// streaks, challenges and family tasks: an action or a pull adds its events (see
    /// [`AppState::change_journal`]); see [`AppState::refold`] for what folds it again.
    pub fold: RwSignal<Fold>,
    pub progress: Memo<Progress>,
    pub online: RwSignal<bool>,
    pub lang: RwSignal<Lang>,
    /// The signed-in account; without one, work stays on the device until the learner joins.
    pub session: RwSignal<Option<Session>>,
    /// Points and weekly streaks are shown (an educator can switch them off for the cohort).
    pub playful: RwSignal<bool>,
    /// The path of the learner's cohort, as the server last said; `None` before joining.
    pub cohort_path: RwSignal<Option<String>>,
    /// The photos the sync loop is uploading or has uploaded during this visit, by id (a few).
    pub uploads: RwSignal<Vec<(String, Upload)>>,
    pub room: RwSignal<Room>,
}

impl AppState {
    /// State as stored on this device.
    pub fn from_storage() -> Self {
        let content = match store::load_content() {
            Some(bundle) => ContentState::Ready(bundle),
            None => ContentState::Loading,
        };
        let session = store::load_session();
        let mut journal = store::load_journal();
        // The head alone folds as the whole log did, if it was stored for this programme and person.
        if !stored_journal::open(&basis(&content, session.as_ref()), &mut journal) {
            while let Some(sealed) = stored_journal::next_sealed() {
                journal.log.merge(sealed.iter().cloned());
            }
        }
        let fold = RwSignal::new(Fold::default());
        let state = Self {
            content: RwSignal::new(content),
            journal: RwSignal::new(journal),
            fold,
            progress: Memo::new(move |_| fold.with(Progress::of)),
            online: RwSignal::new(navigator_online()),
            lang: RwSignal::new(i18n::stored_lang()),
            session: RwSignal::new(session),
            playful: RwSignal::new(store::load_playful()),
            cohort_path: RwSignal::new(store::load_cohort_path()),
            uploads: RwSignal::new(Vec::new()),
            room: RwSignal::new(Room::Enough),
        };
        state.fold_again();
        state
    }

    /// Merges the sealed part of the journal into the one in memory, a key per task so that the
    /// learner's taps go between them; then folds the whole log if a fold of it is owed.
    pub fn merge_sealed(self) {
        match stored_journal::next_sealed() {
            Some(sealed) => {
                self.journal
                    .update_untracked(|journal| journal.log.merge(sealed.iter().cloned()));
                set_timeout(move || self.merge_sealed(), std::time::Duration::ZERO);
            }
            None => {
                if stored_journal::owe_fold(false) {
                    self.fold_again();
                }
                self.check_room();
            }
        }
    }

    /// Tells the learner, with a margin, when storage is nearly full: browsers give an origin
    /// about five million characters of it, and say nothing until a write fails.
    pub fn check_room(self) {
        let low = store::characters_used() > store::CHARACTERS_ALLOWED * 0.8;
        let room = match (self.room.get_untracked(), low) {
            (Room::Enough, true) => Room::Low,
            (Room::Low, false) => Room::Enough,
            _ => return,
        };
        self.room.set(room);
    }

    /// Folds the journal again, as the signed-in person's (a relative's confirmations are in it
    /// too, but not this person's doing). A fold only ever takes events in, so this runs when
    /// what the stored events mean changed: at start, when the programme changed, when the
    /// person changed or their work was given an owner, when the journal was emptied. A receipt
    /// that changes an event's meaning folds it again too (see `Fold::follow`).
    pub fn refold(self) {
        if stored_journal::complete() {
            self.fold_again();
        } else {
            stored_journal::owe_fold(true);
        }
    }

    fn fold_again(self) {
        let owner = self
            .session
            .with_untracked(|s| s.as_ref().map(|s| s.user.id.clone()));
        let mut fold = Fold::new(owner.as_deref());
        self.with_bundle(|bundle| {
            self.journal
                .with_untracked(|journal| fold.refold(&journal.log, bundle));
        });
        self.fold.set(fold);
        // Stored for this basis at once, so the next start can trust the head again; on a first
        // visit, not before there is something to store.
        let empty = self
            .journal
            .with_untracked(|j| j.log.is_empty() && j.outbox.is_empty());
        if !(empty && stored_journal::none_stored()) && stored_journal::rebased(&self.basis()) {
            let _ = self.store_journal(&[]);
        }
    }

    /// What the fold is folded for (see [`basis`]).
    fn basis(self) -> String {
        self.content.with_untracked(|content| {
            self.session
                .with_untracked(|session| basis(content, session.as_ref()))
        })
    }

    /// A new version of the programme: what every stored event means may have changed.
    pub fn set_content(self, bundle: Bundle) {
        self.content.set(ContentState::Ready(bundle));
        self.refold();
    }

    fn with_bundle<T>(self, read: impl FnOnce(&Bundle) -> T) -> Option<T> {
        self.content.with_untracked(|content| match content {
            ContentState::Ready(bundle) => Some(read(bundle)),
            _ => None,
        })
    }

    /// Keeps the account, gives it the work done before joining, and syncs.
    pub fn signed_in(self, session: Session) {
        let user_id = session.user.id.clone();
        self.set_session(Some(session));
        self.journal
            .update(|journal| journal.log.assign_owner(&user_id));
        self.refold();
        let _ = self.store_journal(&[]);
        sync::sync_soon(self);
    }

    /// Forgets the account. With nothing left to send, the device's copy of the work goes too
    /// (it is on the server); otherwise it stays, to leave when this person signs in again.
    pub fn signed_out(self) {
        self.forget_account(self.pending_count_untracked() > 0);
    }

    /// The account was erased: nothing of it stays on this device, not even work not yet sent.
    pub fn erased(self) {
        self.forget_account(false);
    }

    fn forget_account(self, keep_work: bool) {
        self.set_session(None);
        self.set_cohort_path(None);
        if !keep_work {
            stored_journal::clear();
            self.journal.set(Journal::default());
        }
        self.refold();
        let _ = self.store_journal(&[]);
    }

    fn set_session(self, session: Option<Session>) {
        if let Err(err) = store::save_session(session.as_ref()) {
            leptos::logging::error!("cannot store the session: {err}");
        }
        self.session.set(session);
    }

    pub fn set_playful(self, on: bool) {
        if self.playful.get_untracked() != on {
            store::save_playful(on);
            self.playful.set(on);
        }
    }

    /// Keeps the cohort's path; says whether it changed.
    pub fn set_cohort_path(self, path_id: Option<String>) -> bool {
        let changed = self.cohort_path.with_untracked(|p| *p != path_id);
        if changed {
            store::save_cohort_path(path_id.as_deref());
            self.cohort_path.set(path_id);
        }
        changed
    }

    /// The cohort's path, once signed in and known: what the learner sees first.
    pub fn own_path(self, bundle: &Bundle) -> Option<&officina_core::Path> {
        if self.session.with(Option::is_none) {
            return None;
        }
        self.cohort_path.with(|id| bundle.path(id.as_deref()?))
    }

    /// Whether `badge` is shown: badges for streaks only where the cohort plays with streaks.
    pub fn shows_badge(self, badge: &officina_core::Badge) -> bool {
        self.playful.get_untracked()
            || !matches!(badge.criteria, officina_core::Criteria::WeeklyStreak { .. })
    }

    pub fn token_untracked(self) -> Option<String> {
        self.session
            .with_untracked(|s| s.as_ref().map(|s| s.token.clone()))
    }

    /// Records what the learner did with an activity.
    pub fn record(self, activity_id: &str, payload: &Payload) -> Result<(), NotRecorded> {
        self.record_event(Event::new(
            Uuid::new_v4(),
            Some(activity_id),
            device_now(),
            payload,
        ))
    }

    /// Records the answers to the digital-skills self-assessment (an event with no activity).
    pub fn assess_self(self, answers: &Answers) -> Result<(), NotRecorded> {
        self.record_event(answers.event(Uuid::new_v4(), device_now()))
    }

    /// Checks the event by core's rules, the server's own, so that this device never shows
    /// credit the server will refuse; then one write to storage holds it, as the signed-in
    /// person's, and its outbox entry; the fold takes in that one event.
    fn record_event(self, mut event: Event) -> Result<(), NotRecorded> {
        let bytes = serde_json::to_string(&event).map_or(usize::MAX, |json| json.len());
        // Before joining, the person on the device is taken as a learner.
        let author = self
            .session
            .with_untracked(|s| s.as_ref().map_or(Role::Learner, |s| s.user.role));
        self.with_bundle(|bundle| rules::check(&event, bytes, bundle, &event.at))
            .unwrap_or(Err(Rejection::UnknownActivity))
            .and_then(|payload| rules::fits_role(author, &payload))
            .inspect_err(|rejection| {
                leptos::logging::error!(
                    "not recorded, the server would refuse it: {}",
                    rejection.code()
                );
            })
            .map_err(NotRecorded::Refused)?;
        event.user_id = self
            .session
            .with_untracked(|s| s.as_ref().map(|s| s.user.id.clone()));
        let id = event.id;
        let changed = self
            .journal
            .try_update_untracked(|journal| journal.record(event))
            .unwrap_or_default();
        // Stored before it shows; not stored, it does not show, and the learner is told why.
        let stored = if stored_journal::recent_has_room() {
            let recorded = (self.journal).with_untracked(|j| stored_journal::record(j, id));
            recorded.map_err(|err| leptos::logging::error!("cannot store the action: {err}"))
        } else {
            self.store_journal(&changed.added)
        };
        if stored.is_err() {
            self.journal.update_untracked(|journal| journal.forget(&id));
            self.room.set(Room::Full);
            return Err(NotRecorded::StorageFull);
        }
        self.follow(&changed);
        self.journal.notify();
        if self.room.get_untracked() == Room::Full {
            self.room.set(Room::Low);
        }
        sync::sync_after_paint(self);
        Ok(())
    }

    /// Changes the journal (an action, an ack, a pull). Only a change that did something is
    /// stored and shown, and the fold takes in just that, not the whole log again.
    pub fn change_journal(self, change: impl FnOnce(&mut Journal) -> Changed) -> Changed {
        let changed = self
            .journal
            .try_update_untracked(change)
            .unwrap_or_default();
        self.took(&changed);
        changed
    }

    /// Brings the fold up to date with a change that did something, and stores both. One that
    /// cannot be stored (an ack, a pull) stays in memory: the server sends it again.
    fn took(self, changed: &Changed) {
        if changed.is_empty() {
            return;
        }
        self.follow(changed);
        if self.store_journal(&changed.added).is_err() {
            self.room.set(Room::Full);
        }
        self.journal.notify();
    }

    /// Brings the fold up to date with a change to the journal: before it is stored, since the
    /// events the fold comes to rest on must stay in the stored head.
    fn follow(self, changed: &Changed) {
        // A receipt may call for the whole log (see `Fold::follow`): owed until it is in memory.
        if !changed.received.is_empty() && !stored_journal::complete() {
            stored_journal::owe_fold(true);
        }
        self.journal.with_untracked(|journal| {
            self.with_bundle(|bundle| {
                self.fold
                    .maybe_update(|fold| fold.follow(&journal.log, changed, bundle))
            });
        });
    }

    /// Stores the journal with the events its fold rests on.
    fn store_journal(self, added: &[Uuid]) -> Result<(), ()> {
        let witnesses = self.fold.with_untracked(Fold::witnesses);
        let basis = self.basis();
        let stored = self.journal.try_update_untracked(|journal| {
            stored_journal::save(journal, added, &witnesses, &basis)
        });
        match stored {
            Some(Err(err)) => {
                leptos::logging::error!("cannot store the journal: {err}");
                Err(())
            }
            // Storage grows a sealed key at a time: the time to see how much is left.
            Some(Ok(true)) => {
                self.check_room();
                Ok(())
            }
            _ => Ok(()),
        }
    }

    pub fn pending_count(self) -> usize {
        self.journal.with(|journal| journal.outbox.len())
    }

    pub fn pending_count_untracked(self) -> usize {
        self.journal.with_untracked(|journal| journal.outbox.len())
    }

    pub fn set_lang(self, lang: Lang) {
        i18n::store_lang(lang);
        i18n::set_document_lang(lang);
        self.lang.set(lang);
    }
}

/// What a fold is folded for: the programme's version and the person, as [`stored_journal`] keeps it.
fn basis(content: &ContentState, session: Option<&Session>) -> String {
    let mut basis = match content {
        ContentState::Ready(bundle) => bundle.content_version.clone(),
        _ => String::new(),
    };
    basis.push(' ');
    basis.push_str(session.map_or("", |s| s.user.id.as_str()));
    basis
}

fn device_now() -> String {
    String::from(js_sys::Date::new_0().to_iso_string())
}

fn navigator_online() -> bool {
    web_sys::window().is_none_or(|window| window.navigator().on_line())
}
