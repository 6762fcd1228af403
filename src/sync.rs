//! Keeps the device and the server in step: downloads the programme when it changed and
//! pushes the outbox. Runs at start, when the network comes back, and after each action.

use crate::state::{AppState, ContentState};
use crate::{api, store};
use leptos::prelude::*;
use leptos::task::spawn_local;
use officina_core::sync::{MAX_PUSH_EVENTS, PushRequest};

/// Starts the background work for the lifetime of the app.
pub fn start(state: AppState) {
    spawn_local(async {
        crate::pwa::request_persistence().await;
    });
    // The programme is fetched once the first screen is painted, so on a slow connection the
    // app's own download is not slowed down by it and the learner sees something at once.
    request_animation_frame(move || request_animation_frame(move || spawn_local(refresh_content(state))));
    push_soon(state);
    let on_online = window_event_listener(leptos::ev::online, move |_| {
        state.online.set(true);
        spawn_local(refresh_content(state));
        push_soon(state);
    });
    let on_offline = window_event_listener(leptos::ev::offline, move |_| state.online.set(false));
    // The listeners live as long as the page.
    std::mem::forget((on_online, on_offline));
}

async fn refresh_content(state: AppState) {
    let known = state.content.with_untracked(|content| match content {
        ContentState::Ready(bundle) => Some(bundle.content_version.clone()),
        _ => None,
    });
    match api::fetch_content(known.as_deref()).await {
        Ok(Some(bundle)) => {
            if let Err(err) = store::save_content(&bundle) {
                leptos::logging::error!("cannot cache the programme: {err}");
            }
            state.content.set(ContentState::Ready(bundle));
        }
        Ok(None) => {}
        Err(err) => {
            leptos::logging::warn!("programme not refreshed: {err}");
            if known.is_none() {
                state.content.set(ContentState::Unavailable);
            }
        }
    }
}

/// Pushes the outbox in the background, unless a push is already running.
pub fn push_soon(state: AppState) {
    if state.syncing.get_untracked() {
        return;
    }
    state.syncing.set(true);
    spawn_local(async move {
        push_all(state).await;
        state.syncing.set(false);
    });
}

/// Pushes batch after batch until the outbox is empty or the server cannot be reached.
async fn push_all(state: AppState) {
    let device_id = store::device_id();
    loop {
        let events = state.journal.with_untracked(|journal| journal.pending(MAX_PUSH_EVENTS));
        if events.is_empty() {
            return;
        }
        let before = state.journal.with_untracked(|journal| journal.outbox.len());
        match api::push(&PushRequest { device_id, events }).await {
            Ok(response) => state.update_journal(|journal| journal.apply(&response.results)),
            Err(err) => {
                leptos::logging::warn!("sync paused: {err}");
                return;
            }
        }
        // An answer that acknowledged nothing would otherwise make this loop spin.
        if state.journal.with_untracked(|journal| journal.outbox.len()) >= before {
            return;
        }
    }
}
