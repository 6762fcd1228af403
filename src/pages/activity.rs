//! One activity: its text, and the button that marks it done.

use crate::components::content_gate::WithContent;
use crate::pages::not_found::NotFound;
use crate::state::AppState;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use officina_core::progress::completed_activities;
use officina_core::{Bundle, Lang};

#[component]
pub fn ActivityPage() -> impl IntoView {
    let params = use_params_map();
    let view = move |bundle: &Bundle| {
        let id = params.read().get("id").unwrap_or_default();
        let Some(found) = bundle.activity(&id) else {
            return NotFound().into_any();
        };
        let activity = found.activity;
        view! {
            <nav aria-label="Percorso">
                <a href=format!("/percorsi/{}", found.path.id)>{format!("← {}", found.path.title.get(Lang::It))}</a>
            </nav>
            <article>
                <h1>{activity.title.get(Lang::It).to_owned()}</h1>
                {activity.minutes.map(|m| view! { <p class="meta">{format!("Circa {m} minuti")}</p> })}
                <div class="prose" inner_html=activity.body_html.get(Lang::It).to_owned()></div>
            </article>
            <CompleteButton activity_id=activity.id.clone()/>
        }
        .into_any()
    };
    view! { <WithContent view/> }
}

#[component]
fn CompleteButton(activity_id: String) -> impl IntoView {
    let state = expect_context::<AppState>();
    let id = activity_id.clone();
    let done = Memo::new(move |_| state.journal.with(|journal| completed_activities(&journal.log).contains(id.as_str())));
    view! {
        <Show
            when=move || done.get()
            fallback=move || {
                let id = activity_id.clone();
                view! {
                    <button class="button-primary" on:click=move |_| state.complete_activity(&id)>
                        "Segna come fatta"
                    </button>
                }
            }
        >
            <p class="done-banner" role="status">"✓ Attività completata"</p>
        </Show>
    }
}
