//! A cohort's page: its join code (as text and as a QR code), the code's state, the points switch,
//! who is in it, and for admins who runs it.

use super::CohortTabs;
use super::roster::Roster;
use crate::educator::api::{self, CodeChange};
use crate::educator::routes::Screen;
use crate::educator::state::{Loaded, Workspace, confirmed, problem_view, show};
use crate::educator::widgets::{SecureImage, facts, period};
use crate::i18n::t;
use leptos::prelude::*;
use officina_core::Lang;
use officina_core::account::Role;
use officina_core::staff::{CohortDetail, StaffAccount};

#[component]
pub fn CohortPage(id: String) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let lang = ws.lang.get_untracked();
    let cohort_id = id.clone();
    let detail = ws.fetch(|token| async move { api::cohort(&token, &cohort_id).await });
    view! {
        <CohortTabs id=id.clone() current=Screen::Cohort(id)/>
        {show(lang, detail, move |cohort: CohortDetail| page(ws, cohort, detail, lang))}
    }
}

fn page(
    ws: Workspace,
    cohort: CohortDetail,
    detail: RwSignal<Loaded<CohortDetail>>,
    lang: Lang,
) -> impl IntoView {
    let summary = &cohort.summary;
    let (path_id, audience, dates) = (
        summary.path_id.clone(),
        summary.audience.clone(),
        period(summary),
    );
    view! {
        <h1>{summary.name.clone()}</h1>
        <p class="lead">{move || facts(&[&ws.path_title(&path_id, lang), &audience, &dates])}</p>
        <JoinCode cohort=cohort.clone() detail/>
        <PointsSwitch id=summary.id.clone() on=cohort.settings.xp_and_streaks/>
        <section aria-labelledby="roster-title">
            <h2 id="roster-title">{t(lang, "Chi c'è nel gruppo", "Who is in the cohort")}</h2>
            <Roster cohort=cohort.clone() detail/>
        </section>
        <Runners cohort/>
    }
}

/// Re-reads the cohort after a change, without blanking the page meanwhile.
fn refresh(
    ws: Workspace,
    id: String,
    detail: RwSignal<Loaded<CohortDetail>>,
    problem: RwSignal<Option<String>>,
) {
    let token = ws.token();
    ws.act(
        problem,
        async move { api::cohort(&token, &id).await },
        move |c| detail.set(Loaded::Ready(c)),
    );
}

#[component]
fn JoinCode(cohort: CohortDetail, detail: RwSignal<Loaded<CohortDetail>>) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let lang = ws.lang.get_untracked();
    let problem = RwSignal::new(None::<String>);
    let id = StoredValue::new(cohort.summary.id.clone());
    let open = cohort.summary.join_open;
    let change = move |change: CodeChange| {
        if change == CodeChange::Rotate
            && !confirmed(t(
                lang,
                "Creare un nuovo codice? Quello attuale smetterà di funzionare per chi non è ancora entrato.",
                "Make a new code? The current one will stop working for anyone who has not joined yet.",
            ))
        {
            return;
        }
        let token = ws.token();
        ws.act(
            problem,
            async move { api::change_code(&token, &id.get_value(), change).await },
            move |()| refresh(ws, id.get_value(), detail, problem),
        );
    };
    let qr_alt = match lang {
        Lang::It => format!(
            "Codice QR per entrare nel gruppo {}: apre Officina con il codice {} già scritto.",
            cohort.summary.name, cohort.join_code
        ),
        Lang::En => format!(
            "QR code to join the cohort {}: opens Officina with the code {} filled in.",
            cohort.summary.name, cohort.join_code
        ),
    };
    view! {
        <section aria-labelledby="code-title" class="join">
            <h2 id="code-title">{t(lang, "Codice per entrare", "Join code")}</h2>
            <p class="join-code">{cohort.join_code.clone()}</p>
            <p>{if open {
                t(lang, "Il codice è aperto: chi lo ha può entrare nel gruppo.", "The code is open: whoever has it can join the cohort.")
            } else {
                t(lang, "Il codice è chiuso: nessuno di nuovo può entrare; chi è già nel gruppo accede come sempre.", "The code is closed: nobody new can join; members sign in as usual.")
            }}</p>
            <div class="qr">
                <SecureImage path=format!("/api/cohorts/{}/qr.svg", cohort.summary.id) alt=qr_alt/>
            </div>
            <div class="actions no-print">
                <button type="button" class="button-secondary" on:click=move |_| change(CodeChange::Rotate)>{t(lang, "Nuovo codice", "New code")}</button>
                {if open {
                    view! { <button type="button" class="button-secondary" on:click=move |_| change(CodeChange::Close)>{t(lang, "Chiudi il codice", "Close the code")}</button> }.into_any()
                } else {
                    view! { <button type="button" class="button-secondary" on:click=move |_| change(CodeChange::Reopen)>{t(lang, "Riapri il codice", "Reopen the code")}</button> }.into_any()
                }}
            </div>
            {problem_view(problem)}
        </section>
    }
}

/// Points and weekly streaks for the whole cohort, on or off.
#[component]
fn PointsSwitch(id: String, on: bool) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let lang = ws.lang.get_untracked();
    let on = RwSignal::new(on);
    let problem = RwSignal::new(None::<String>);
    let id = StoredValue::new(id);
    let toggle = move |ev: leptos::ev::Event| {
        let wanted = event_target_checked(&ev);
        let token = ws.token();
        ws.act(
            problem,
            async move { api::set_points(&token, &id.get_value(), wanted).await },
            move |()| on.set(wanted),
        );
    };
    view! {
        <section aria-labelledby="points-title">
            <h2 id="points-title">{t(lang, "Punti e serie settimanali", "Points and weekly streaks")}</h2>
            <div class="choice">
                <input type="checkbox" id="points" prop:checked=move || on.get() on:change=toggle/>
                <label for="points">{t(lang, "Mostra punti e serie settimanali ai ragazzi di questo gruppo", "Show points and weekly streaks to this cohort's young people")}</label>
            </div>
            {problem_view(problem)}
        </section>
    }
}

/// Who runs the cohort; an admin can change it.
#[component]
fn Runners(cohort: CohortDetail) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let lang = ws.lang.get_untracked();
    let names = cohort.educators.join(", ");
    view! {
        <section aria-labelledby="runners-title">
            <h2 id="runners-title">{t(lang, "Chi segue il gruppo", "Who runs the cohort")}</h2>
            <p>{names}</p>
            {ws.is_admin().then(|| view! { <RunnersForm id=cohort.summary.id.clone() chosen=cohort.educators/> })}
        </section>
    }
}

#[component]
fn RunnersForm(id: String, chosen: Vec<String>) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let lang = ws.lang.get_untracked();
    let staff = ws.fetch(|token| async move { api::staff(&token).await });
    let chosen = RwSignal::new(chosen);
    let problem = RwSignal::new(None::<String>);
    let saved = RwSignal::new(false);
    let id = StoredValue::new(id);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (token, names) = (ws.token(), chosen.get_untracked());
        saved.set(false);
        ws.act(
            problem,
            async move { api::set_educators(&token, &id.get_value(), &names).await },
            move |()| saved.set(true),
        );
    };
    let boxes = move |list: Vec<StaffAccount>| {
        list.into_iter()
            .filter(|s| !s.disabled && s.role == Role::Educator)
            .map(|s| {
                let box_id = format!("runs-{}", s.id);
                let name = StoredValue::new(s.name.clone());
                let toggle = move |ev: leptos::ev::Event| {
                    let on = event_target_checked(&ev);
                    chosen.update(|c| {
                        c.retain(|n| *n != name.get_value());
                        if on {
                            c.push(name.get_value());
                        }
                    });
                };
                view! {
                    <div class="choice">
                        <input type="checkbox" id=box_id.clone() prop:checked=move || chosen.with(|c| c.contains(&name.get_value())) on:change=toggle/>
                        <label for=box_id>{s.name}</label>
                    </div>
                }
            })
            .collect_view()
    };
    view! {
        <form class="no-print" on:submit=save>
            <fieldset class="choice-row">
                <legend>{t(lang, "Educatori del gruppo", "The cohort's educators")}</legend>
                {show(lang, staff, boxes)}
            </fieldset>
            {problem_view(problem)}
            <Show when=move || saved.get()>
                <p role="status">{t(lang, "Salvato.", "Saved.")}</p>
            </Show>
            <button class="button-primary" type="submit">{t(lang, "Salva chi segue il gruppo", "Save who runs the cohort")}</button>
        </form>
    }
}
