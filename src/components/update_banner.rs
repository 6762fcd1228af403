//! "Nuova versione disponibile — Aggiorna": shown when the service worker has a new version
//! waiting (public/pwa.js). The app updates only when the learner taps, never in the middle of a task.

use crate::i18n::t;
use crate::state::AppState;
use leptos::prelude::*;

const READY_EVENT: &str = "officina:update-ready";
const APPLY_EVENT: &str = "officina:apply-update";

fn update_already_waiting() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .is_some_and(|root| root.has_attribute("data-update-ready"))
}

fn apply_update() {
    if let (Some(window), Ok(event)) = (web_sys::window(), web_sys::Event::new(APPLY_EVENT)) {
        let _ = window.dispatch_event(&event);
    }
}

#[component]
pub fn UpdateBanner() -> impl IntoView {
    let lang = expect_context::<AppState>().lang.get_untracked();
    let ready = RwSignal::new(update_already_waiting());
    let listener = window_event_listener_untyped(READY_EVENT, move |_| ready.set(true));
    on_cleanup(move || listener.remove());
    view! {
        <Show when=move || ready.get()>
            <div class="update-banner" role="status">
                <span>{t(lang, "Nuova versione disponibile", "New version available")}</span>
                <button class="button-primary" on:click=move |_| apply_update()>
                    {t(lang, "Aggiorna", "Update")}
                </button>
            </div>
        </Show>
    }
}
