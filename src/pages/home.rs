//! Home: the programme's paths, with the learner's progress on each.

use crate::components::content_gate::WithContent;
use crate::state::AppState;
use leptos::prelude::*;
use officina_core::progress::{completed_activities, path_percent};
use officina_core::{Bundle, Lang};

#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <h1>"I tuoi percorsi"</h1>
        <WithContent view=path_list/>
    }
}

fn path_list(bundle: &Bundle) -> impl IntoView + use<> {
    let state = expect_context::<AppState>();
    let percents = state.journal.with(|journal| {
        let completed = completed_activities(&journal.log);
        bundle.paths.iter().map(|path| path_percent(path, &completed)).collect::<Vec<_>>()
    });
    let cards = bundle.paths.iter().zip(percents).map(|(path, percent)| {
        view! {
            <li class="card">
                <a class="card-link" href=format!("/percorsi/{}", path.id)>
                    <h2>{path.title.get(Lang::It).to_owned()}</h2>
                    <p>{path.summary.get(Lang::It).to_owned()}</p>
                    <p class="progress-text">{format!("Completato al {percent}%")}</p>
                </a>
            </li>
        }
    });
    view! { <ul class="cards" role="list">{cards.collect_view()}</ul> }
}
