//! A path: its modules and activities, each marked when done.

use crate::components::content_gate::WithContent;
use crate::pages::not_found::NotFound;
use crate::state::AppState;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use officina_core::progress::completed_activities;
use officina_core::{Bundle, Lang, Module};
use std::collections::BTreeSet;

#[component]
pub fn PathPage() -> impl IntoView {
    let params = use_params_map();
    let view = move |bundle: &Bundle| {
        let id = params.read().get("id").unwrap_or_default();
        match bundle.path(&id) {
            Some(path) => {
                let state = expect_context::<AppState>();
                let done: BTreeSet<String> = state.journal.with(|journal| {
                    completed_activities(&journal.log).into_iter().map(str::to_owned).collect()
                });
                let modules = path.modules.iter().map(|module| module_section(module, &done)).collect_view();
                view! {
                    <h1>{path.title.get(Lang::It).to_owned()}</h1>
                    <p class="lead">{path.summary.get(Lang::It).to_owned()}</p>
                    {modules}
                }
                .into_any()
            }
            None => NotFound().into_any(),
        }
    };
    view! { <WithContent view/> }
}

fn module_section(module: &Module, done: &BTreeSet<String>) -> impl IntoView {
    let items = module.activities.iter().map(|activity| {
        let is_done = done.contains(&activity.id);
        view! {
            <li>
                <a class="activity-link" href=format!("/attivita/{}", activity.id)>
                    <span>{activity.title.get(Lang::It).to_owned()}</span>
                    {is_done.then(|| view! { <span class="done-mark">"✓ fatto"</span> })}
                </a>
            </li>
        }
    });
    view! {
        <section class="module">
            <h2>{module.title.get(Lang::It).to_owned()}</h2>
            <ul class="activities" role="list">{items.collect_view()}</ul>
        </section>
    }
}
