//! The impact report, for the whole programme or one cohort: the server's tables (targets included,
//! small groups shown as "<5"), a CSV, and a print layout.

use super::CohortTabs;
use crate::educator::api;
use crate::educator::routes::Screen;
use crate::educator::state::{Workspace, show};
use crate::educator::widgets::{CsvButton, DataTable};
use crate::i18n::{self, t};
use leptos::prelude::*;
use officina_core::impact::Impact;

#[component]
pub fn ImpactPage(cohort: Option<String>) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let lang = ws.lang.get_untracked();
    let target = cohort.clone();
    let data = ws.fetch(|token| async move { api::impact(&token, target.as_deref(), lang).await });
    let title = match cohort {
        Some(_) => t(lang, "Impatto del gruppo", "Cohort impact"),
        None => t(lang, "Impatto del programma", "Programme impact"),
    };
    let csv = format!(
        "{}.csv?lang={}",
        api::impact_path(cohort.as_deref()),
        i18n::code(lang)
    );
    let file = format!(
        "officina-impatto-{}.csv",
        cohort.as_deref().unwrap_or("programma")
    );
    let tables = move |impact: Impact| {
        impact
            .tables
            .into_iter()
            .map(|t| view! { <section class="report-table"><h2>{t.title.clone()}</h2><DataTable caption=t.title table=t.table/></section> })
            .collect_view()
    };
    let print = move |_| {
        let _ = window().print();
    };
    view! {
        {cohort.map(|id| view! { <CohortTabs id=id.clone() current=Screen::CohortImpact(id)/> })}
        <h1>{title}</h1>
        <div class="actions no-print">
            <button type="button" class="button-secondary" on:click=print>{t(lang, "Stampa", "Print")}</button>
            <CsvButton path=csv file what=title.to_owned()/>
        </div>
        {show(lang, data, tables)}
    }
}
