//! Keeping an earned badge after the camp: download it as an Open Badges image (the proof is baked
//! into the file), show where anyone can verify it, or withdraw it.

use crate::api::{self, Assertion};
use crate::files::save;
use crate::i18n::t;
use crate::state::AppState;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn KeepBadge(assertion: Assertion) -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang.get_untracked();
    let revoked = RwSignal::new(assertion.revoked);
    let confirming = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let id = StoredValue::new(assertion.id.clone());
    let file = StoredValue::new(assertion.badge_id.clone());
    let download = move |format: &'static str| {
        let Some(token) = state.token_untracked() else {
            return;
        };
        spawn_local(async move {
            match api::baked_badge(&token, &id.get_value(), format).await {
                Ok(blob) => {
                    save(&blob, &format!("{}.{format}", file.get_value()));
                }
                Err(err) => problem.set(Some(err.to_string())),
            }
        });
    };
    let revoke = move |_| {
        if !confirming.get_untracked() {
            confirming.set(true);
            return;
        }
        let Some(token) = state.token_untracked() else {
            return;
        };
        spawn_local(async move {
            match api::revoke_badge(&token, &id.get_value()).await {
                Ok(()) => revoked.set(true),
                Err(err) => problem.set(Some(err.to_string())),
            }
        });
    };
    view! {
        <div class="keep-badge">
            <Show
                when=move || !revoked.get()
                fallback=move || view! { <p>{t(lang, "Hai ritirato questo badge: il suo indirizzo pubblico lo dice.", "You withdrew this badge: its public address says so.")}</p> }
            >
                <p class="verify">{t(lang, "Chiunque può verificarlo qui: ", "Anyone can verify it here: ")}<a href=assertion.url.clone() target="_blank" rel="noopener">{t(lang, "indirizzo pubblico", "public address")}</a></p>
                <div class="actions">
                    <button class="button-secondary" on:click=move |_| download("png")>{t(lang, "Scarica (PNG)", "Download (PNG)")}</button>
                    <button class="button-secondary" on:click=move |_| download("svg")>{t(lang, "Scarica (SVG)", "Download (SVG)")}</button>
                    <button class="button-secondary" on:click=revoke>
                        {move || if confirming.get() { t(lang, "Sì, ritira il badge", "Yes, withdraw the badge") } else { t(lang, "Ritira", "Withdraw") }}
                    </button>
                </div>
            </Show>
            {move || problem.get().map(|p| view! { <p class="notice notice-error" role="alert">{p}</p> })}
        </div>
    }
}
