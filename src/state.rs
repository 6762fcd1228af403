//! The app's shared state, provided as context: the programme, the journal, and the network.

use crate::{store, sync};
use leptos::prelude::*;
use officina_core::outbox::Journal;
use officina_core::{Bundle, Event};
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
    pub online: RwSignal<bool>,
    pub syncing: RwSignal<bool>,
}

impl AppState {
    /// State as stored on this device.
    pub fn from_storage() -> Self {
        let content = match store::load_content() {
            Some(bundle) => ContentState::Ready(bundle),
            None => ContentState::Loading,
        };
        Self {
            content: RwSignal::new(content),
            journal: RwSignal::new(store::load_journal()),
            online: RwSignal::new(navigator_online()),
            syncing: RwSignal::new(false),
        }
    }

    /// Marks an activity done: one write to storage holds the event and its outbox entry.
    pub fn complete_activity(self, activity_id: &str) {
        let at = String::from(js_sys::Date::new_0().to_iso_string());
        let event = Event::activity_completed(Uuid::new_v4(), activity_id, at);
        self.update_journal(|journal| journal.record(event));
        sync::push_soon(self);
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
}

fn navigator_online() -> bool {
    web_sys::window().is_none_or(|window| window.navigator().on_line())
}
