//! The impact report, for the whole programme or one cohort: the server's tables (targets included,
//! 1 to 4 people shown as "<5", means over fewer than 5 people as "n/d"), a CSV, and a print
//! layout. These figures leave the cohort, for the funder: the dashboard has the exact ones.

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
        <p class="lead">{t(lang, "Per proteggere le persone, da 1 a 4 persone sono indicate come «<5» e una media su meno di 5 persone come «n/d» (non disponibile). Le cifre esatte del gruppo sono nel suo cruscotto.", "To protect people, 1 to 4 people are shown as \"<5\" and a mean over fewer than 5 people as \"n/a\" (not available). A cohort's exact figures are on its dashboard.")}</p>
        <div class="actions no-print">
            <button type="button" class="button-secondary" on:click=print>{t(lang, "Stampa", "Print")}</button>
            <CsvButton path=csv file what=title.to_owned()/>
        </div>
        {show(lang, data, tables)}
    }
}
