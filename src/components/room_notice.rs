//! What the learner is told when the phone's storage for Officina runs out: before, with a margin
//! (see `AppState::check_room`), and when an action could not be stored and was taken back.

use crate::i18n::t;
use crate::state::{AppState, Room};
use leptos::prelude::*;

#[component]
pub fn RoomNotice() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang.get_untracked();
    move || {
        match state.room.get() {
        Room::Enough => None,
        Room::Low => Some(view! {
            <p class="notice" role="status">{t(
                lang,
                "Lo spazio di Officina su questo telefono sta per finire. Collegati a internet, così il tuo lavoro arriva al server, e parlane con chi ti segue.",
                "Officina’s space on this phone is running out. Connect to the internet so your work reaches the server, and tell whoever is following you.",
            )}</p>
        }
        .into_any()),
        Room::Full => Some(view! {
            <p class="notice notice-error" role="alert">{t(
                lang,
                "Officina non ha più spazio su questo telefono: l’ultima azione non è stata salvata. Quello che avevi già fatto resta qui.",
                "Officina has no space left on this phone: the last action was not saved. What you had already done is still here.",
            )}</p>
        }
        .into_any()),
    }
    }
}
