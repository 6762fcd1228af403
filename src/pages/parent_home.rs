//! A parent's home: one thing at a time, in plain words. This week's family task, what the child
//! did in the family path (only that: never quiz answers, never private reflections, which the
//! server does not even send), and a tip for the parent's own digital skills.

use crate::api::{self, Relative};
use crate::components::content_gate::WithContent;
use crate::i18n::t;
use crate::state::AppState;
use leptos::prelude::*;
use leptos::task::spawn_local;
use officina_core::{ActivityKind, Audience, Bundle, Lang};

/// The family path on digital citizenship: where the parent's tips come from.
const TIPS_PATH: &str = "family-cittadinanza-digitale";

pub fn parents_home(lang: Lang) -> impl IntoView {
    let children = linked_children();
    view! {
        <h1>{t(lang, "La vostra famiglia", "Your family")}</h1>
        <WithContent view=move |bundle, lang| parent_home(bundle, lang, children)/>
    }
}

fn parent_home(
    bundle: &Bundle,
    lang: Lang,
    children: RwSignal<Vec<Relative>>,
) -> impl IntoView + use<> {
    let state = expect_context::<AppState>();
    let progress = state.progress.get();
    let family_paths = || {
        bundle
            .paths
            .iter()
            .filter(|p| p.audience == Audience::Family)
    };
    let this_week = family_paths()
        .flat_map(|p| p.activities())
        .find(|a| a.kind() == ActivityKind::FamilyTask && !progress.is_done(&a.id))
        .map(|a| (a.id.clone(), a.title.get(lang).to_owned()));
    let tip = bundle
        .path(TIPS_PATH)
        .and_then(|p| {
            p.activities()
                .find(|a| a.kind() == ActivityKind::Lesson && !progress.is_done(&a.id))
        })
        .map(|a| (a.id.clone(), a.title.get(lang).to_owned()));
    // The child's confirmations are the only events of theirs a parent's device holds.
    let done_by_child: Vec<String> = state.fold.with(|fold| {
        fold.family_tasks()
            .filter(|(_, [child, _])| *child)
            .filter_map(|(task, _)| bundle.activity(task))
            .map(|found| found.activity.title.get(lang).to_owned())
            .collect()
    });
    let names = move || {
        children.with(|c| {
            c.iter()
                .map(|r| r.label(lang))
                .collect::<Vec<_>>()
                .join(", ")
        })
    };
    let paths: Vec<(String, u8)> = family_paths()
        .map(|p| (p.title.get(lang).to_owned(), progress.path_percent(p)))
        .collect();
    view! {
        <div class="parent-home">
            <section class="card-plain" aria-labelledby="week-title">
                <h2 id="week-title">{t(lang, "Questa settimana in famiglia", "This week as a family")}</h2>
                {match this_week {
                    Some((id, title)) => view! { <a class="card-link" href=format!("/attivita/{}", id)><strong>{title}</strong></a> }.into_any(),
                    None => view! { <p>{t(lang, "Avete fatto tutte le attività in famiglia. Bravissimi!", "You have done every family task. Well done!")}</p> }.into_any(),
                }}
            </section>
            <section class="card-plain" aria-labelledby="child-title">
                <h2 id="child-title">{t(lang, "Cosa avete fatto insieme", "What you did together")}</h2>
                <Show
                    when=move || children.with(|c| !c.is_empty())
                    fallback=move || view! { <p>{t(lang, "Collegati a tuo figlio o tua figlia dal Profilo, con il codice famiglia.", "Link to your child from the Profile, with the family code.")}</p> }
                >
                    <p>{move || match lang {
                        Lang::It => format!("Con te: {}.", names()),
                        Lang::En => format!("With you: {}.", names()),
                    }}</p>
                </Show>
                {if done_by_child.is_empty() {
                    view! { <p>{t(lang, "Ancora nessuna attività confermata.", "No task confirmed yet.")}</p> }.into_any()
                } else {
                    view! { <ul>{done_by_child.into_iter().map(|title| view! { <li>{title}</li> }).collect_view()}</ul> }.into_any()
                }}
                <a class="button-secondary" href="/badge">{t(lang, "Vedi i badge", "See the badges")}</a>
            </section>
            <section class="card-plain" aria-labelledby="paths-title">
                <h2 id="paths-title">{t(lang, "I percorsi in famiglia", "The family paths")}</h2>
                <ul>{paths.into_iter().map(|(title, percent)| view! { <li>{format!("{title}: {percent}%")}</li> }).collect_view()}</ul>
                <button class="button-secondary no-print" on:click=move |_| { let _ = window().print(); }>
                    {t(lang, "Stampa o salva il riepilogo", "Print or save the summary")}
                </button>
            </section>
            {tip.map(|(id, title)| view! {
                <section class="card-plain" aria-labelledby="tip-title">
                    <h2 id="tip-title">{t(lang, "Un consiglio per te", "A tip for you")}</h2>
                    <a class="card-link" href=format!("/attivita/{}", id)><strong>{title}</strong></a>
                </section>
            })}
        </div>
    }
}

/// The parent's linked children, fetched once per visit to the home.
fn linked_children() -> RwSignal<Vec<Relative>> {
    let state = expect_context::<AppState>();
    let children = RwSignal::new(Vec::new());
    if let Some(token) = state.token_untracked() {
        spawn_local(async move {
            if let Ok(family) = api::family(&token).await {
                children.set(family.children);
            }
        });
    }
    children
}
