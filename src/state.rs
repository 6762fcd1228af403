//! The app's shared state, provided as context: the programme, the journal, the network and
//! the language, plus the actions that record events.

use crate::{i18n, store, sync};
use leptos::prelude::*;
use officina_core::outbox::Journal;
use officina_core::progress::Progress;
use officina_core::{Bundle, Event, EventKind, Lang};
use uuid::Uuid;

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
    /// Derived from the journal, recomputed when it changes.
    pub progress: Memo<Progress>,
    pub online: RwSignal<bool>,
    pub syncing: RwSignal<bool>,
    pub lang: RwSignal<Lang>,
}

impl AppState {
    /// State as stored on this device.
    pub fn from_storage() -> Self {
        let content = match store::load_content() {
            Some(bundle) => ContentState::Ready(bundle),
            None => ContentState::Loading,
        };
        let journal = RwSignal::new(store::load_journal());
        Self {
            content: RwSignal::new(content),
            journal,
            progress: Memo::new(move |_| journal.with(|j| Progress::from_log(&j.log))),
            online: RwSignal::new(navigator_online()),
            syncing: RwSignal::new(false),
            lang: RwSignal::new(i18n::stored_lang()),
        }
    }

    /// Records something the learner did: one write to storage holds the event and its outbox entry.
    pub fn record(self, kind: EventKind, activity_id: &str, data: serde_json::Value) {
        let at = String::from(js_sys::Date::new_0().to_iso_string());
        let mut event = Event::activity_completed(Uuid::new_v4(), activity_id, at);
        event.kind = kind;
        event.data = data;
        self.update_journal(|journal| journal.record(event));
        sync::push_soon(self);
    }

    pub fn complete_activity(self, activity_id: &str) {
        self.record(EventKind::ActivityCompleted, activity_id, serde_json::json!({}));
    }

    /// Changes the journal and stores it at once.
    pub fn update_journal(self, change: impl FnOnce(&mut Journal)) {
        self.journal.update(change);
        if let Err(err) = self.journal.with_untracked(store::save_journal) {
            leptos::logging::error!("cannot store the journal: {err}");
        }
    }

    pub fn pending_count(self) -> usize {
        self.journal.with(|journal| journal.outbox.len())
    }

    pub fn set_lang(self, lang: Lang) {
        i18n::store_lang(lang);
        i18n::set_document_lang(lang);
        self.lang.set(lang);
    }
}

fn navigator_online() -> bool {
    web_sys::window().is_none_or(|window| window.navigator().on_line())
}
