//! Profile: nickname, family, one's data, language, storage on this device, and the state of sync.

use crate::i18n::{count, t};
use crate::pages::account::AccountSection;
use crate::pwa::{self, human_size};
use crate::rare;
use crate::state::AppState;
use crate::sync;
use leptos::prelude::*;
use officina_core::Lang;

#[component]
pub fn ProfilePage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang.get_untracked();
    // Its heading is the app's, shown before this part arrives (see `app::lazy_screen`).
    view! {
        {Suspend::new(rare::profiles_section())}
        <AccountSection/>
        <Show when=move || state.session.with(Option::is_some)>
            {|| Suspend::new(rare::family_section())}
            {|| Suspend::new(rare::my_data_section())}
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
    let signed_in = move || state.session.with(Option::is_some);
    let text = move || {
        let pending = state.pending_count();
        match (signed_in(), state.online.get(), pending) {
            (false, _, _) => t(
                lang,
                "Non sei ancora in un gruppo: il tuo lavoro è solo su questo dispositivo. Entra nel gruppo per salvarlo sul server.",
                "You are not in a group yet: your work is only on this device. Join the group to keep it on the server.",
            )
            .to_owned(),
            (true, true, 0) => t(lang, "Tutto il tuo lavoro è sul server.", "All your work is on the server.").to_owned(),
            (true, false, 0) => t(
                lang,
                "Sei offline. Tutto il lavoro fatto finora è sul server.",
                "You are offline. All the work done so far is on the server.",
            )
            .to_owned(),
            (true, online, n) => {
                let waiting = match lang {
                    Lang::It => format!("Azioni da inviare al server: {n}."),
                    Lang::En => format!("Actions waiting for the server: {n}."),
                };
                let when = match online {
                    true => t(lang, " Partono adesso.", " They are leaving now."),
                    false => t(lang, " Sei offline: partiranno appena sei in linea.", " You are offline: they leave as soon as you are online."),
                };
                waiting + when
            }
        }
    };
    view! {
        <section aria-labelledby="sync-title">
            <h2 id="sync-title">{t(lang, "Sincronizzazione", "Sync")}</h2>
            <p class="sync-state">{text}</p>
            <p class="notice notice-error" hidden=move || rejected() == 0>{move || {
                let refused = count(lang, rejected(), ("azione", "azioni"), ("action", "actions"));
                match lang {
                    Lang::It => format!("Il server ha rifiutato {refused}: restano salvate qui. Mostra questa pagina a un educatore."),
                    Lang::En => format!("The server refused {refused}: they stay saved here. Show this page to an educator."),
                }
            }}</p>
            <button class="button-secondary" on:click=move |_| sync::sync_soon(state) hidden=move || !(signed_in() && state.online.get())>
                {t(lang, "Sincronizza ora", "Sync now")}
            </button>
        </section>
    }
}
