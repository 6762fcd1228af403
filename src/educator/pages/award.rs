//! Awarding a badge directly, with a reason: for the badges an educator gives (criteria `awarded`).

use crate::educator::api;
use crate::educator::state::{Loaded, Workspace, problem_view};
use crate::i18n::t;
use leptos::prelude::*;
use officina_core::Criteria;
use officina_core::account::Role;
use officina_core::payload::{Award, Payload};

#[component]
pub fn AwardBadge(cohort: String) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let lang = ws.lang.get_untracked();
    let detail = ws.fetch(|token| async move { api::cohort(&token, &cohort).await });
    let learner = RwSignal::new(String::new());
    let badge = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (who, what, why) = (
            learner.get_untracked(),
            badge.get_untracked(),
            reason.get_untracked().trim().to_owned(),
        );
        if who.is_empty() || what.is_empty() || why.is_empty() {
            problem.set(Some(
                t(
                    lang,
                    "Scegli chi e quale badge, e scrivi il motivo.",
                    "Choose who and which badge, and write the reason.",
                )
                .to_owned(),
            ));
            return;
        }
        done.set(None);
        let token = ws.token();
        let award = Payload::Award(Award {
            badge_id: what,
            reason: Some(why),
        });
        ws.act(
            problem,
            async move { api::record(&token, &who, None, &award).await },
            move |()| {
                reason.set(String::new());
                done.set(Some(
                    t(
                        lang,
                        "Badge assegnato: arriva sul dispositivo alla prossima sincronizzazione.",
                        "Badge awarded: it reaches the device at the next sync.",
                    )
                    .to_owned(),
                ));
            },
        );
    };
    // Options only: a loading line or an error has no place inside a <select>.
    let learners = move || match detail.get() {
        Loaded::Ready(cohort) => cohort
            .roster
            .into_iter()
            .filter(|m| m.role == Role::Learner)
            .map(|m| view! { <option value=m.id>{m.nickname}</option> })
            .collect_view()
            .into_any(),
        _ => ().into_any(),
    };
    let badges = move || {
        ws.content.with(|c| {
            c.iter()
                .flat_map(|b| &b.badges)
                .filter(|b| b.criteria == Criteria::Awarded)
                .map(
                    |b| view! { <option value=b.id.clone()>{b.name.get(lang).to_owned()}</option> },
                )
                .collect_view()
        })
    };
    view! {
        <section aria-labelledby="award-title" class="no-print">
            <h2 id="award-title">{t(lang, "Assegna un badge", "Award a badge")}</h2>
            <form on:submit=submit>
                <label for="award-learner">{t(lang, "A chi", "To whom")}</label>
                <select id="award-learner" on:change=move |ev| learner.set(event_target_value(&ev))>
                    <option value="">{t(lang, "Scegli", "Choose")}</option>
                    {learners}
                </select>
                <label for="award-badge">{t(lang, "Badge", "Badge")}</label>
                <select id="award-badge" on:change=move |ev| badge.set(event_target_value(&ev))>
                    <option value="">{t(lang, "Scegli", "Choose")}</option>
                    {badges}
                </select>
                <label for="award-reason">{t(lang, "Motivo", "Reason")}</label>
                <textarea id="award-reason" rows="3" prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                {problem_view(problem)}
                {move || done.get().map(|d| view! { <p role="status">{d}</p> })}
                <button class="button-primary" type="submit">{t(lang, "Assegna", "Award")}</button>
            </form>
        </section>
    }
}
