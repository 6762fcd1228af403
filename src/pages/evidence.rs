//! The learner's account of a challenge: text, and up to three photos from the camera or the
//! gallery, shrunk on the phone and kept there until the sync loop uploads them.

use crate::i18n::t;
use crate::photos::{self, MAX_PHOTOS};
use crate::state::AppState;
use leptos::prelude::*;
use leptos::task::spawn_local;
use officina_core::Lang;
use officina_core::payload::{self, Payload};
use uuid::Uuid;
use wasm_bindgen::JsCast;
use web_sys::{Blob, HtmlInputElement};

/// A photo picked for this submission, shrunk already and held by public/photos.js under its object URL.
#[derive(Clone)]
struct Picked {
    id: String,
    url: String,
}

#[component]
pub fn EvidenceForm(activity_id: String, with_photos: bool) -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang.get_untracked();
    let text = RwSignal::new(String::new());
    let picked = RwSignal::new(Vec::<Picked>::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let id = StoredValue::new(activity_id);
    on_cleanup(move || picked.with_untracked(|p| p.iter().for_each(|p| photos::forget(&p.url))));
    let too_short = move || text.with(|t| t.trim().chars().count() < 10);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if too_short() || busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let chosen = picked.get_untracked();
            for photo in &chosen {
                if photos::keep(&photo.id, &photo.url).await.is_err() {
                    error.set(Some(t(lang, "Non c'è spazio sul telefono per salvare le foto: togline qualcuna o libera spazio e riprova.", "There is no room on the phone to save the photos: remove some or free up space and try again.").to_owned()));
                    busy.set(false);
                    return;
                }
            }
            let submission = Payload::Submission(payload::Submission {
                text: text.get_untracked().trim().to_owned(),
                photos: chosen.iter().map(|p| p.id.clone()).collect(),
            });
            // Accepted, the form goes away with this: nothing of it may be touched afterwards.
            if id.with_value(|id| state.record(id, &submission)).is_err() {
                error.set(Some(t(lang, "Non è stato possibile salvare il racconto: controlla il testo (al massimo 4000 caratteri) e le foto (al massimo 3).", "The account could not be saved: check the text (at most 4000 characters) and the photos (at most 3).").to_owned()));
                busy.set(false);
            }
        });
    };
    view! {
        <form class="evidence" on:submit=submit>
            <h2>{t(lang, "Racconta la tua sfida", "Tell us about your challenge")}</h2>
            <label for="evidence-text">
                {t(lang, "Che cosa hai fatto e che cosa hai scoperto? (almeno 10 caratteri)", "What did you do and what did you find out? (at least 10 characters)")}
            </label>
            <textarea id="evidence-text" rows="5" maxlength="4000"
                prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            {with_photos.then(|| photo_picker(lang, picked, busy, error))}
            {move || error.get().map(|message| view! { <p class="notice notice-error" role="alert">{message}</p> })}
            <button class="button-primary" type="submit" disabled=move || too_short() || busy.get()>
                {t(lang, "Invia la sfida", "Submit the challenge")}
            </button>
        </form>
    }
}

/// Two inputs: on Android `capture` opens the camera straight away but then offers no gallery,
/// and without it the phone asks which app to use; so one of each, each saying what it does.
fn photo_picker(
    lang: Lang,
    picked: RwSignal<Vec<Picked>>,
    busy: RwSignal<bool>,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let on_pick = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        else {
            return;
        };
        let files = input.files();
        let free = MAX_PHOTOS.saturating_sub(picked.with_untracked(Vec::len));
        let count = files.as_ref().map_or(0, |f| f.length() as usize);
        let files: Vec<Blob> = (0..count.min(free) as u32)
            .filter_map(|i| files.as_ref()?.get(i).map(Blob::from))
            .collect();
        // Emptied, so that picking the same file again is a change too.
        input.set_value("");
        error.set((count > free).then(|| {
            t(
                lang,
                "Al massimo 3 foto: le altre non sono state aggiunte.",
                "At most 3 photos: the others were not added.",
            )
            .to_owned()
        }));
        busy.set(true);
        spawn_local(async move {
            for file in files {
                match photos::pick(&file).await {
                    Ok(url) => {
                        let id = Uuid::new_v4().to_string();
                        picked.update(|p| p.push(Picked { id, url }));
                    }
                    Err(_) => error.set(Some(
                        t(
                            lang,
                            "Questa foto non si riesce ad aprire: prova con un'altra.",
                            "This photo cannot be opened: try another one.",
                        )
                        .to_owned(),
                    )),
                }
            }
            busy.set(false);
        });
    };
    let remove = move |index: usize| {
        picked.update(|p| photos::forget(&p.remove(index).url));
    };
    view! {
        <fieldset class="photo-picker">
            <legend>{t(lang, "Foto (facoltative, al massimo 3)", "Photos (optional, at most 3)")}</legend>
            <Show when=move || picked.with(|p| p.len() < MAX_PHOTOS)>
                <label for="photo-camera">{t(lang, "Scatta una foto", "Take a photo")}</label>
                <input id="photo-camera" type="file" accept="image/*" capture="environment" on:change=on_pick/>
                <label for="photo-gallery">{t(lang, "Scegli dalla galleria", "Choose from the gallery")}</label>
                <input id="photo-gallery" type="file" accept="image/*" multiple on:change=on_pick/>
            </Show>
            <Show when=move || busy.get()>
                <p role="status">{t(lang, "Preparo le foto…", "Preparing the photos…")}</p>
            </Show>
            <ul class="photo-list">
                {move || picked.get().into_iter().enumerate().map(|(index, photo)| view! {
                    <li>
                        <img src=photo.url alt=format!("{} {}", t(lang, "Foto", "Photo"), index + 1) width="96" height="96"/>
                        <button type="button" class="button-secondary" on:click=move |_| remove(index)>
                            {format!("{} {}", t(lang, "Togli la foto", "Remove photo"), index + 1)}
                        </button>
                    </li>
                }).collect_view()}
            </ul>
        </fieldset>
    }
}
