//! A lesson's action: mark it done, then go on to the next activity.

use crate::components::next_activity::NextActivity;
use crate::i18n::t;
use crate::state::AppState;
use leptos::prelude::*;
use officina_core::payload::Payload;

#[component]
pub fn CompleteButton(activity_id: String) -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang.get_untracked();
    let id = activity_id.clone();
    let next = activity_id.clone();
    let done = Memo::new(move |_| state.progress.with(|p| p.is_done(&id)));
    view! {
        <Show
            when=move || done.get()
            fallback=move || {
                let id = activity_id.clone();
                view! {
                    <button class="button-primary" on:click=move |_| { let _ = state.record(&id, &Payload::Completed); }>
                        {t(lang, "Segna come fatta", "Mark as done")}
                    </button>
                }
            }
        >
            <p class="done-banner" role="status">{t(lang, "✓ Attività completata", "✓ Activity done")}</p>
            <NextActivity activity_id=next.clone()/>
        </Show>
    }
}
