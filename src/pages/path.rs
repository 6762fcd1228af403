//! A path: its modules and activities, each marked when done, and the self-assessment when due.

use crate::components::content_gate::WithContent;
use crate::components::progress_bar::ProgressBar;
use crate::i18n::t;
use crate::pages::activity::kind_label;
use crate::pages::not_found::NotFound;
use crate::rare;
use crate::state::AppState;
use leptos::prelude::*;
use officina_core::progress::{Progress, Status};
use officina_core::self_assessment::due;
use officina_core::{Bundle, Lang, Module};

#[component]
pub fn PathPage(id: String) -> impl IntoView {
    let view = move |bundle: &Bundle, lang: Lang| {
        let Some(path) = bundle.path(&id) else {
            return NotFound().into_any();
        };
        let state = expect_context::<AppState>();
        let progress = state.progress.get();
        // Untracked: answering must not redraw the page, so the card can say thank you.
        let card = state
            .journal
            .with_untracked(|j| due(bundle, path, &j.log, &progress))
            .map(|moment| {
                let (path_id, questionnaire) = (path.id.clone(), bundle.self_assessment.clone());
                Suspend::new(rare::self_assessment(path_id, moment, questionnaire, lang))
            });
        let modules = path
            .modules
            .iter()
            .map(|module| module_section(module, &progress, lang))
            .collect_view();
        view! {
            <h1>{path.title.get(lang).to_owned()}</h1>
            <p class="lead">{path.summary.get(lang).to_owned()}</p>
            <ProgressBar percent=progress.path_percent(path) lang/>
            {card}
            {modules}
        }
        .into_any()
    };
    view! { <WithContent view/> }
}

fn module_section(module: &Module, progress: &Progress, lang: Lang) -> impl IntoView + use<> {
    let items = module
        .activities
        .iter()
        .map(|activity| {
            let mark = match progress.status(&activity.id) {
                Status::NotStarted => None,
                Status::InProgress => Some(("mark-started", t(lang, "iniziata", "started"))),
                Status::Done => Some(("mark-done", t(lang, "✓ fatta", "✓ done"))),
                Status::Approved => Some(("mark-done", t(lang, "✓ approvata", "✓ approved"))),
            };
            view! {
                <li>
                    <a class="activity-link" href=format!("/attivita/{}", activity.id)>
                        <span>
                            <span class="kind">{kind_label(activity.kind(), lang)}</span>
                            <span class="activity-title">{activity.title.get(lang).to_owned()}</span>
                        </span>
                        {mark.map(|(class, text)| view! { <span class=class>{text}</span> })}
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="module">
            <h2>{module.title.get(lang).to_owned()}</h2>
            <ProgressBar percent=progress.module_percent(module) lang/>
            <ul class="activities" role="list">{items}</ul>
        </section>
    }
}
