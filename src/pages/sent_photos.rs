//! The photos of a submitted challenge, each with where it is on its way to the server.

use crate::i18n::t;
use crate::photos::{self, Upload};
use crate::state::AppState;
use leptos::prelude::*;
use leptos::task::spawn_local;
use officina_core::Lang;

#[component]
pub fn SentPhotos(ids: Vec<String>) -> impl IntoView {
    (!ids.is_empty()).then(|| {
        let items = ids
            .into_iter()
            .enumerate()
            .map(|(index, id)| view! { <SentPhoto id number=index + 1/> })
            .collect_view();
        view! { <ul class="photo-list" aria-live="polite">{items}</ul> }
    })
}

/// A photo this device holds (one sent from another device is that device's to show).
#[component]
fn SentPhoto(id: String, number: usize) -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang.get_untracked();
    let url = RwSignal::new(None::<String>);
    let stored = RwSignal::new(None::<Upload>);
    let id = StoredValue::new(id);
    spawn_local(async move {
        if let Some(photo) = photos::saved(&id.get_value()).await {
            // Left already: the URL is given back at once.
            if let Some(Some(unused)) = url.try_set(Some(photos::object_url(&photo.blob))) {
                photos::forget(&unused);
            }
            stored.try_set(Some(photo.upload()));
        }
    });
    on_cleanup(move || url.with_untracked(|u| u.iter().for_each(|u| photos::forget(u))));
    let upload = move || {
        let live = id.with_value(|id| {
            state
                .uploads
                .with(|u| u.iter().find(|(other, _)| other == id).map(|(_, up)| *up))
        });
        live.or(stored.get())
    };
    move || {
        let src = url.get()?;
        let label = upload().map(|u| upload_label(lang, u))?;
        Some(view! {
            <li>
                <img src=src alt=format!("{} {number}", t(lang, "Foto", "Photo")) width="96" height="96"/>
                <span class="photo-state">{label}</span>
            </li>
        })
    }
}

fn upload_label(lang: Lang, upload: Upload) -> String {
    match upload {
        Upload::Saved => t(lang, "Salvata sul telefono", "Saved on the phone").to_owned(),
        Upload::Sending(percent) => format!("{} {percent}%", t(lang, "Invio…", "Sending…")),
        Upload::Sent => t(lang, "Inviata", "Sent").to_owned(),
    }
}
