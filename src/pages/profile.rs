//! Profile: nickname, language, storage on this device, and the state of sync.

use crate::i18n::t;
use crate::pages::account::AccountSection;
use crate::pages::family::FamilySection;
use crate::pages::profiles_section::ProfilesSection;
use crate::pwa::{self, human_size};
use crate::state::AppState;
use crate::sync;
use leptos::prelude::*;
use officina_core::Lang;

#[component]
pub fn ProfilePage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang.get_untracked();
    view! {
        <h1>{t(lang, "Profilo", "Profile")}</h1>
        <ProfilesSection/>
        <AccountSection/>
        <Show when=move || state.session.with(Option::is_some)>
            <FamilySection/>
        </Show>
        <fieldset class="language">
            <legend>{t(lang, "Lingua", "Language")}</legend>
            <LangChoice value=Lang::It label="Italiano" code="it"/>
            <LangChoice value=Lang::En label="English" code="en"/>
        </fieldset>
        <Storage/>
        <SyncState/>
    }
}

#[component]
fn LangChoice(value: Lang, label: &'static str, code: &'static str) -> impl IntoView {
    let state = expect_context::<AppState>();
    let id = format!("lang-{code}");
    view! {
        <div class="choice">
            <input type="radio" name="lang" id=id.clone() lang=code
                prop:checked=move || state.lang.get() == value
                on:change=move |_| state.set_lang(value)/>
            <label for=id lang=code>{label}</label>
        </div>
    }
}

#[component]
fn Storage() -> impl IntoView {
    let lang = expect_context::<AppState>().lang.get_untracked();
    // The images kept for offline use are measured with the rest: one resource, one paragraph.
    let info = LocalResource::new(|| async {
        let images = crate::offline_images::stored().await;
        (pwa::storage_info().await, images)
    });
    let text = move || match info.get() {
        None => t(
            lang,
            "Calcolo lo spazio usato…",
            "Measuring the space used…",
        )
        .to_owned(),
        Some((None, _)) => t(
            lang,
            "Questo browser non dice quanto spazio usa.",
            "This browser does not tell how much space it uses.",
        )
        .to_owned(),
        Some((Some(info), images)) => {
            let kept = match (info.persisted, lang) {
                (true, Lang::It) => {
                    "I dati restano su questo dispositivo anche se lo spazio scarseggia."
                }
                (false, Lang::It) => {
                    "Il browser potrebbe cancellare i dati se lo spazio scarseggia: sincronizza spesso."
                }
                (true, Lang::En) => "Your data stays on this device even when space runs low.",
                (false, Lang::En) => {
                    "The browser may delete the data when space runs low: sync often."
                }
            };
            let (n, bytes) = images.unwrap_or_default();
            let (usage, quota, images) = (
                human_size(info.usage),
                human_size(info.quota),
                human_size(bytes),
            );
            match lang {
                Lang::It => format!(
                    "Officina usa {usage} su {quota} disponibili. {kept} Immagini per l'uso offline: {n}, {images}."
                ),
                Lang::En => format!(
                    "Officina uses {usage} of {quota} available. {kept} Images kept for offline use: {n}, {images}."
                ),
            }
        }
    };
    view! {
        <section aria-labelledby="storage-title">
            <h2 id="storage-title">{t(lang, "Spazio su questo dispositivo", "Space on this device")}</h2>
            <p class="storage-info">{text}</p>
        </section>
    }
}

#[component]
fn SyncState() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang.get_untracked();
    let rejected = move || state.journal.with(|j| j.rejected.len());
    let has_rejected = move || rejected() != 0;
    view! {
        <section aria-labelledby="sync-title">
            <h2 id="sync-title">{t(lang, "Sincronizzazione", "Sync")}</h2>
            <p>{move || match (lang, state.pending_count()) {
                (Lang::It, 0) => "Tutto il tuo lavoro è sul server.".to_owned(),
                (Lang::It, n) => format!("Azioni da inviare al server: {n}. Partiranno appena sei in linea."),
                (Lang::En, 0) => "All your work is on the server.".to_owned(),
                (Lang::En, n) => format!("Actions waiting for the server: {n}. They leave as soon as you are online."),
            }}</p>
            <Show when=has_rejected>
                <p class="notice notice-error">{move || match lang {
                    Lang::It => format!("Il server ha rifiutato {} azioni: restano salvate qui. Mostra questa pagina a un educatore.", rejected()),
                    Lang::En => format!("The server refused {} actions: they stay saved here. Show this page to an educator.", rejected()),
                }}</p>
            </Show>
            <button class="button-secondary" on:click=move |_| sync::sync_soon(state) disabled=move || !state.online.get()>
                {t(lang, "Sincronizza ora", "Sync now")}
            </button>
        </section>
    }
}
