//! A labelled progress bar (a native `<progress>`, which screen readers announce).

use crate::i18n::t;
use leptos::prelude::*;
use officina_core::Lang;

#[component]
pub fn ProgressBar(percent: u8, lang: Lang) -> impl IntoView {
    let label = match lang {
        Lang::It => format!("Completato al {percent}%"),
        Lang::En => format!("{percent}% complete"),
    };
    view! {
        <div class="progress">
            <progress max="100" value=percent aria-label=t(lang, "Avanzamento", "Progress")></progress>
            <span class="progress-text">{label}</span>
        </div>
    }
}
