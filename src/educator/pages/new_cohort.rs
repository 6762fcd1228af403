//! A new cohort: its name, the path it follows, who it is for, its dates, and for IN-Community
//! how many start-ups it accompanies.

use crate::educator::api;
use crate::educator::routes::Screen;
use crate::educator::state::{Workspace, problem_view};
use crate::i18n::t;
use crate::routes::Router;
use leptos::prelude::*;
use officina_core::content::Audience;
use officina_core::staff::CohortRequest;

#[component]
pub fn NewCohortPage() -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let router = expect_context::<Router<Screen>>();
    let lang = ws.lang.get_untracked();
    let name = RwSignal::new(String::new());
    let path_id = RwSignal::new(String::new());
    let audience = RwSignal::new(String::new());
    let starts_on = RwSignal::new(String::new());
    let ends_on = RwSignal::new(String::new());
    let startups = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let for_startups = move || {
        ws.content.with(|c| {
            c.as_ref().is_some_and(|b| {
                b.paths
                    .iter()
                    .any(|p| p.id == path_id.get() && p.audience == Audience::Startups)
            })
        })
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let cohort = match read_form(
            lang,
            &[name, path_id, audience, starts_on, ends_on],
            startups,
            for_startups(),
        ) {
            Ok(cohort) => cohort,
            Err(message) => return problem.set(Some(message.to_owned())),
        };
        let token = ws.token();
        ws.act(
            problem,
            async move { api::create_cohort(&token, &cohort).await },
            move |created| router.go(&Screen::Cohort(created.summary.id).href()),
        );
    };
    let paths = move || {
        ws.content.with(|c| {
            c.iter()
                .flat_map(|b| &b.paths)
                .map(|p| view! { <option value=p.id.clone()>{p.title.get(lang).to_owned()}</option> })
                .collect_view()
        })
    };
    let text = move |id: &'static str,
                     label: &'static str,
                     value: RwSignal<String>,
                     kind: &'static str| {
        view! {
            <label for=id>{label}</label>
            <input id=id type=kind required prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
        }
    };
    view! {
        <h1>{t(lang, "Nuovo gruppo", "New cohort")}</h1>
        <form on:submit=submit>
            {text("cohort-name", t(lang, "Nome del gruppo", "Cohort name"), name, "text")}
            <label for="cohort-path">{t(lang, "Percorso", "Path")}</label>
            <select id="cohort-path" required on:change=move |ev| path_id.set(event_target_value(&ev))>
                <option value="" selected>{t(lang, "Scegli un percorso", "Choose a path")}</option>
                {paths}
            </select>
            {text("cohort-audience", t(lang, "Per chi è (per esempio: 2ª B, scuola media Galateo)", "Who it is for (e.g. class 2B, Galateo middle school)"), audience, "text")}
            {text("cohort-starts", t(lang, "Inizio", "Start"), starts_on, "date")}
            {text("cohort-ends", t(lang, "Fine", "End"), ends_on, "date")}
            <Show when=for_startups>
                {text("cohort-startups", t(lang, "Start-up accompagnate", "Start-ups accompanied"), startups, "number")}
            </Show>
            {problem_view(problem)}
            <button class="button-primary" type="submit">{t(lang, "Crea il gruppo", "Create the cohort")}</button>
        </form>
    }
}

/// The form as the API wants it, or what is wrong with it.
fn read_form(
    lang: officina_core::Lang,
    [name, path_id, audience, starts_on, ends_on]: &[RwSignal<String>; 5],
    startups: RwSignal<String>,
    for_startups: bool,
) -> Result<CohortRequest, &'static str> {
    let value = |s: &RwSignal<String>| s.get_untracked().trim().to_owned();
    let cohort = CohortRequest {
        name: value(name),
        path_id: value(path_id),
        audience: value(audience),
        starts_on: value(starts_on),
        ends_on: value(ends_on),
        startups: None,
    };
    if cohort.name.is_empty()
        || cohort.path_id.is_empty()
        || cohort.starts_on.is_empty()
        || cohort.ends_on.is_empty()
    {
        return Err(t(
            lang,
            "Servono il nome, il percorso e le date.",
            "The name, the path and the dates are needed.",
        ));
    }
    // ISO dates compare as text.
    if cohort.ends_on < cohort.starts_on {
        return Err(t(
            lang,
            "La fine non può venire prima dell'inizio.",
            "The end cannot come before the start.",
        ));
    }
    if !for_startups {
        return Ok(cohort);
    }
    match value(&startups).parse::<u32>() {
        Ok(n) => Ok(CohortRequest {
            startups: Some(n.into()),
            ..cohort
        }),
        Err(_) => Err(t(
            lang,
            "Indica quante start-up accompagna il gruppo.",
            "Say how many start-ups the cohort accompanies.",
        )),
    }
}
