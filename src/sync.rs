//! Keeps the device and the server in step: downloads the programme when it changed, pushes the
//! outbox, pulls what other devices of the same person recorded, then uploads the photos of the
//! challenges the server has acknowledged. Runs at start, when the network
//! comes back, when the app becomes visible, every minute while open, and after each action.

use crate::one_at_a_time::OneAtATime;
use crate::state::{AppState, ContentState};
use crate::{api, fetch, photos, store};
use leptos::prelude::*;
use leptos::task::spawn_local;
use officina_core::sync::{MAX_PUSH_EVENTS, PushRequest};
use std::ops::ControlFlow;
use std::pin::Pin;
use std::time::Duration;

const EVERY: Duration = Duration::from_secs(60);
const AFTER_FIRST_PAINT: Duration = Duration::from_millis(100);

/// Starts the background work for the lifetime of the app.
pub fn start(state: AppState) {
    spawn_local(async {
        crate::pwa::request_persistence().await;
    });
    // The programme is fetched once the first screen is painted, so on a slow connection the
    // app's own download is not slowed down by it and the learner sees something at once.
    // A tenth of a second after the first frame is enough for it to be painted: nothing next to
    // the time the download takes on the connections this is for.
    // photos.js too: a photo picked offline on the first visit needs it before the service
    // worker may have it.
    // The rare screens' chunks come after the programme's screen is painted, so they never slow it down.
    // So does the sealed part of the journal (see `stored_journal`).
    let fetch = move || {
        state.merge_sealed();
        spawn_local(async move {
            refresh_content(state).await;
            request_animation_frame(|| set_timeout(crate::rare::preload, AFTER_FIRST_PAINT));
        });
        spawn_local(async {
            if let Err(err) = crate::photos::script().await {
                leptos::logging::warn!("photos.js not loaded yet: {err:?}");
            }
        });
    };
    request_animation_frame(move || set_timeout(fetch, AFTER_FIRST_PAINT));
    sync_soon(state);
    let on_online = window_event_listener(leptos::ev::online, move |_| {
        state.online.set(true);
        spawn_local(refresh_content(state));
        sync_soon(state);
    });
    let on_offline = window_event_listener(leptos::ev::offline, move |_| state.online.set(false));
    let on_visible = window_event_listener(leptos::ev::visibilitychange, move |_| {
        if document().visibility_state() == web_sys::VisibilityState::Visible {
            sync_soon(state);
        }
    });
    let interval = set_interval_with_handle(move || sync_soon(state), EVERY);
    // The listeners and the timer live as long as the page.
    std::mem::forget((on_online, on_offline, on_visible, interval));
}

thread_local! {
    static SYNC: OneAtATime = const { OneAtATime::new() };
    /// Two refreshes at once could store one version and show the other.
    static REFRESH: OneAtATime = const { OneAtATime::new() };
}

/// Downloads the programme if it changed.
async fn refresh_content(state: AppState) {
    let job = move || -> Pin<Box<dyn Future<Output = _>>> {
        Box::pin(async move {
            refresh_once(state).await;
            ControlFlow::Continue(())
        })
    };
    OneAtATime::run(&REFRESH, &job).await;
}

async fn refresh_once(state: AppState) {
    let known = state.content.with_untracked(|content| match content {
        ContentState::Ready(bundle) => Some(bundle.content_version.clone()),
        _ => None,
    });
    match api::fetch_content(known.as_deref()).await {
        Ok(Some((bundle, json))) => {
            // Read, kept and shown in one task, a new programme would block a slow phone for a
            // tenth of a second: each step is a task of its own.
            fetch::next_task().await;
            // A new programme that cannot be kept waits for room; without any, it is used anyway.
            if let Err(err) = store::save_content(&json) {
                leptos::logging::error!("cannot cache the programme: {err}");
                if known.is_some() {
                    return;
                }
            }
            fetch::next_task().await;
            state.set_content(bundle);
            crate::offline_images::keep(state);
        }
        Ok(None) => crate::offline_images::keep(state),
        Err(err) => {
            leptos::logging::warn!("programme not refreshed: {err}");
            if state
                .content
                .with_untracked(|c| !matches!(c, ContentState::Ready(_)))
            {
                state.content.set(ContentState::Unavailable);
            }
        }
    }
}

/// Syncs once the screen showing an action is painted: building and sending the push would
/// otherwise run before that frame, in the tap's own time.
pub fn sync_after_paint(state: AppState) {
    request_animation_frame(move || set_timeout(move || sync_soon(state), Duration::ZERO));
}

/// Syncs in the background, or once more after the sync that is running.
pub fn sync_soon(state: AppState) {
    if state.session.with_untracked(Option::is_none) {
        return;
    }
    spawn_local(async move {
        OneAtATime::run(&SYNC, &move || Box::pin(sync_or_stop(state))).await;
    });
}

/// One sync; a refused token signs out and stops syncing.
async fn sync_or_stop(state: AppState) -> ControlFlow<()> {
    let Err(err) = sync_once(state).await else {
        return ControlFlow::Continue(());
    };
    leptos::logging::warn!("sync paused: {err}");
    if err.is_unauthorized() {
        state.signed_out();
        return ControlFlow::Break(());
    }
    ControlFlow::Continue(())
}

async fn sync_once(state: AppState) -> Result<(), api::ApiError> {
    let Some(token) = state.token_untracked() else {
        return Ok(());
    };
    push_all(state, &token).await?;
    pull_all(state, &token).await?;
    Box::pin(upload_photos(state, &token)).await?;
    // Staff have no cohort (404): nothing to follow then.
    if let Ok(cohort) = api::my_cohort(&token).await {
        state.set_playful(cohort.xp_and_streaks);
        // The own paths' images change with the cohort's path (and the programme: see
        // refresh_content), not with each sync.
        if state.set_cohort_path(Some(cohort.path_id)) {
            crate::offline_images::keep(state);
        }
    }
    Ok(())
}

/// Uploads the photos of acknowledged submissions, showing each one's progress on its challenge.
async fn upload_photos(state: AppState, token: &str) -> Result<(), api::ApiError> {
    let ids = state.journal.with_untracked(photos::acknowledged_photos);
    photos::upload(token, ids, move |id, upload| {
        state.uploads.update(|uploads| {
            uploads.retain(|(other, _)| other != id);
            uploads.push((id.to_owned(), upload));
        });
    })
    .await
}

/// Pushes batch after batch until the outbox is empty.
async fn push_all(state: AppState, token: &str) -> Result<(), api::ApiError> {
    let device_id = store::device_id();
    loop {
        let events = state
            .journal
            .with_untracked(|journal| journal.pending(MAX_PUSH_EVENTS));
        if events.is_empty() {
            return Ok(());
        }
        let response = api::push(token, &PushRequest { device_id, events }).await?;
        let changed = state.change_journal(|journal| journal.apply(&response.results));
        // An answer that acknowledged nothing would otherwise make this loop spin.
        if changed.sent.is_empty() {
            return Ok(());
        }
    }
}

/// Pulls page after page; each page and its cursor are stored together (a page that brings
/// nothing is not stored at all).
async fn pull_all(state: AppState, token: &str) -> Result<(), api::ApiError> {
    loop {
        let since = state.journal.with_untracked(|journal| journal.cursor);
        let page = api::pull(token, since).await?;
        let more = page.more && page.cursor > since;
        state.change_journal(|journal| journal.apply_pulled(page.events, page.cursor));
        if !more {
            return Ok(());
        }
    }
}
