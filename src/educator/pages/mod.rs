//! The workspace's screens.

mod award;
mod cohort;
mod cohorts;
mod dashboard;
mod families;
mod impact;
mod new_cohort;
mod reviews;
mod roster;
pub mod sign_in;
mod staff;

use super::routes::Screen;
use super::state::Workspace;
use crate::i18n::t;
use leptos::prelude::*;

pub fn screen(screen: Screen) -> AnyView {
    match screen {
        Screen::Cohorts => view! { <cohorts::CohortsPage/> }.into_any(),
        Screen::NewCohort => view! { <new_cohort::NewCohortPage/> }.into_any(),
        Screen::Cohort(id) => view! { <cohort::CohortPage id/> }.into_any(),
        Screen::Reviews(id) => view! { <reviews::ReviewsPage id/> }.into_any(),
        Screen::Dashboard(id) => view! { <dashboard::DashboardPage id/> }.into_any(),
        Screen::CohortImpact(id) => view! { <impact::ImpactPage cohort=Some(id)/> }.into_any(),
        Screen::Families(id) => view! { <families::FamiliesPage id/> }.into_any(),
        Screen::Impact => view! { <impact::ImpactPage cohort=None/> }.into_any(),
        Screen::Staff => view! { <staff::StaffPage/> }.into_any(),
        Screen::NotFound => view! { <NotFound/> }.into_any(),
    }
}

#[component]
fn NotFound() -> impl IntoView {
    let lang = expect_context::<Workspace>().lang.get_untracked();
    view! {
        <h1>{t(lang, "Pagina non trovata", "Page not found")}</h1>
        <p><a href=Screen::Cohorts.href()>{t(lang, "Torna ai gruppi", "Back to the cohorts")}</a></p>
    }
}

/// The links between a cohort's screens, with the current one marked.
#[component]
fn CohortTabs(id: String, current: Screen) -> impl IntoView {
    let lang = expect_context::<Workspace>().lang.get_untracked();
    let tabs = [
        (Screen::Cohort(id.clone()), t(lang, "Gruppo", "Cohort")),
        (Screen::Reviews(id.clone()), t(lang, "Revisioni", "Reviews")),
        (
            Screen::Dashboard(id.clone()),
            t(lang, "Cruscotto", "Dashboard"),
        ),
        (
            Screen::Families(id.clone()),
            t(lang, "Famiglie e consenso", "Families and consent"),
        ),
        (Screen::CohortImpact(id), t(lang, "Impatto", "Impact")),
    ];
    let links = tabs
        .into_iter()
        .map(|(screen, label)| {
            let here = (screen == current).then_some("page");
            view! { <a href=screen.href() aria-current=here>{label}</a> }
        })
        .collect_view();
    view! { <nav class="cohort-tabs no-print" aria-label=t(lang, "Sezioni del gruppo", "Cohort sections")>{links}</nav> }
}
