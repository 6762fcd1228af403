//! The cohorts the staff member runs (an admin: all of them), newest first.

use crate::educator::api;
use crate::educator::routes::Screen;
use crate::educator::state::{Workspace, show};
use crate::educator::widgets::{facts, period};
use crate::i18n::{count, t};
use leptos::prelude::*;
use officina_core::Lang;
use officina_core::staff::CohortSummary;

#[component]
pub fn CohortsPage() -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let lang = ws.lang.get_untracked();
    let cohorts = ws.fetch(|token| async move { api::cohorts(&token).await });
    view! {
        <h1>{t(lang, "I tuoi gruppi", "Your cohorts")}</h1>
        <p><a class="button-primary button-link" href=Screen::NewCohort.href()>{t(lang, "Nuovo gruppo", "New cohort")}</a></p>
        {show(lang, cohorts, move |list: Vec<CohortSummary>| {
            if list.is_empty() {
                return view! { <p class="notice">{t(lang, "Nessun gruppo ancora: creane uno.", "No cohorts yet: create one.")}</p> }.into_any();
            }
            view! { <ul class="cards" role="list">{list.into_iter().map(|c| card(ws, c, lang)).collect_view()}</ul> }.into_any()
        })}
    }
}

fn card(ws: Workspace, cohort: CohortSummary, lang: Lang) -> impl IntoView {
    let dates = period(&cohort);
    let people = format!(
        "{}, {}",
        count(
            lang,
            cohort.learners as usize,
            ("ragazzo/a", "ragazzi"),
            ("young person", "young people")
        ),
        count(
            lang,
            cohort.parents as usize,
            ("genitore", "genitori"),
            ("parent", "parents")
        ),
    );
    let code = if cohort.join_open {
        t(lang, "codice aperto", "code open")
    } else {
        t(lang, "codice chiuso", "code closed")
    };
    view! {
        <li>
            <a class="card-link" href=Screen::Cohort(cohort.id.clone()).href()>
                <h2>{cohort.name}</h2>
                <p>{move || facts(&[&ws.path_title(&cohort.path_id, lang), &cohort.audience])}</p>
                <p class="meta">{facts(&[&dates, &people, code])}</p>
            </a>
        </li>
    }
}
