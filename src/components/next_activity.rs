//! Once an activity is done: a link to the next one of its path still to do, or back to the path
//! when every other one is done, so a learner is never left at a dead end.

use crate::i18n::t;
use crate::state::{AppState, ContentState};
use leptos::prelude::*;

#[component]
pub fn NextActivity(activity_id: String) -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang.get_untracked();
    // Drawn once the activity is done, from what is known then: nothing here needs to follow changes.
    state.content.with_untracked(|content| {
        let ContentState::Ready(bundle) = content else {
            return None;
        };
        let path = bundle.activity(&activity_id)?.path;
        let (href, label, title) = match state
            .progress
            .with_untracked(|p| p.after(path, &activity_id))
        {
            Some(next) => (
                format!("/attivita/{}", next.id),
                t(lang, "Prossima attività", "Next activity"),
                next.title.get(lang).to_owned(),
            ),
            None => (
                format!("/percorsi/{}", path.id),
                t(
                    lang,
                    "Percorso completato: torna al percorso",
                    "Path complete: back to the path",
                ),
                path.title.get(lang).to_owned(),
            ),
        };
        Some(view! {
            <a class="card-link next-activity" href=href>
                <span class="kind">{label}</span>
                <strong>{title}</strong>
            </a>
        })
    })
}
