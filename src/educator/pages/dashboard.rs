//! A cohort's dashboard: the server's two tables (learners, activities) as they are, each with its
//! CSV, which says the same cell for cell. Exact figures, for the educators who know the members.

use super::CohortTabs;
use crate::educator::api;
use crate::educator::routes::Screen;
use crate::educator::state::{Workspace, show};
use crate::educator::widgets::{CsvButton, DataTable};
use crate::i18n::{self, t};
use leptos::prelude::*;
use officina_core::dashboard::Dashboard;
use officina_core::table::Table;

#[component]
pub fn DashboardPage(id: String) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let lang = ws.lang.get_untracked();
    let cohort = StoredValue::new(id.clone());
    let data =
        ws.fetch(|token| async move { api::dashboard(&token, &cohort.get_value(), lang).await });
    let tables = move |dashboard: Dashboard| {
        let id = cohort.get_value();
        let section = |table: &'static str, title: &'static str, content: Table| {
            let csv = format!(
                "/api/cohorts/{id}/dashboard.csv?table={table}&lang={}",
                i18n::code(lang)
            );
            view! {
                <section class="report-table">
                    <h2>{title}</h2>
                    <DataTable caption=title.to_owned() table=content/>
                    <CsvButton path=csv file=format!("officina-{id}-{table}.csv") what=title.to_owned()/>
                </section>
            }
        };
        view! {
            {section("learners", t(lang, "Ragazzi", "Young people"), dashboard.learners)}
            {section("activities", t(lang, "Attività", "Activities"), dashboard.activities)}
        }
    };
    view! {
        <CohortTabs id=id.clone() current=Screen::Dashboard(id)/>
        <h1>{t(lang, "Cruscotto del gruppo", "Cohort dashboard")}</h1>
        <p class="lead">{t(lang, "Le cifre esatte del tuo gruppo, per te che ne conosci i partecipanti: per chi sta fuori dal gruppo c'è la pagina Impatto.", "Your cohort's exact figures, for you who know its members: for anyone outside the cohort there is the Impact page.")}</p>
        {show(lang, data, tables)}
    }
}
