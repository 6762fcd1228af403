//! Badges: the earned ones, and for each locked one exactly what is still missing.

use crate::components::content_gate::WithContent;
use crate::i18n::t;
use crate::state::AppState;
use leptos::prelude::*;
use officina_core::badges::{BadgeStatus, Missing, evaluate};
use officina_core::{Bundle, Lang};

#[component]
pub fn BadgesPage() -> impl IntoView {
    let lang = expect_context::<AppState>().lang.get_untracked();
    view! {
        <h1>{t(lang, "I tuoi badge", "Your badges")}</h1>
        <WithContent view=badges/>
    }
}

fn badges(bundle: &Bundle, lang: Lang) -> impl IntoView + use<> {
    let state = expect_context::<AppState>();
    let statuses = state.journal.with(|journal| state.progress.with(|p| {
        evaluate(bundle, &journal.log, p).into_iter().map(|s| badge_card(bundle, &s, lang)).collect::<Vec<_>>()
    }));
    let (earned, locked): (Vec<_>, Vec<_>) = statuses.into_iter().partition(|(earned, _)| *earned);
    let count = earned.len();
    view! {
        <section aria-labelledby="earned-title">
            <h2 id="earned-title">{t(lang, "Guadagnati", "Earned")}" ("{count}")"</h2>
            {if count == 0 {
                view! { <p class="notice">{t(lang, "Ancora nessuno: il primo è vicino!", "None yet: the first one is close!")}</p> }.into_any()
            } else {
                view! { <ul class="badges" role="list">{earned.into_iter().map(|(_, v)| v).collect_view()}</ul> }.into_any()
            }}
        </section>
        <section aria-labelledby="locked-title">
            <h2 id="locked-title">{t(lang, "Da conquistare", "To earn")}</h2>
            <ul class="badges" role="list">{locked.into_iter().map(|(_, v)| v).collect_view()}</ul>
        </section>
    }
}

fn badge_card(bundle: &Bundle, status: &BadgeStatus, lang: Lang) -> (bool, AnyView) {
    let badge = status.badge;
    let missing = status.missing().map(|m| missing_text(bundle, m, lang));
    let earned = status.earned();
    let view = view! {
        <li class=if earned { "badge badge-earned" } else { "badge badge-locked" }>
            <img src=badge.image.clone() alt="" width="64" height="64"/>
            <div>
                <h3>{badge.name.get(lang).to_owned()}</h3>
                <p>{badge.description.get(lang).to_owned()}</p>
                {missing.map(|m| view! { <p class="missing"><strong>{t(lang, "Ti manca: ", "Still needed: ")}</strong>{m}</p> })}
            </div>
        </li>
    }
    .into_any();
    (earned, view)
}

fn missing_text(bundle: &Bundle, missing: &Missing, lang: Lang) -> String {
    match missing {
        Missing::Activities(ids) => {
            const SHOWN: usize = 3;
            let titles: Vec<&str> =
                ids.iter().take(SHOWN).filter_map(|id| bundle.activity(id)).map(|a| a.activity.title.get(lang)).collect();
            let more = ids.len().saturating_sub(SHOWN);
            match (more, lang) {
                (0, _) => titles.join(", "),
                (n, Lang::It) => format!("{} e altre {n} attività", titles.join(", ")),
                (n, Lang::En) => format!("{} and {n} more activities", titles.join(", ")),
            }
        }
        Missing::ChallengesApproved { have, need } => match lang {
            Lang::It => format!("sfide approvate da un educatore: {have} su {need}"),
            Lang::En => format!("challenges approved by an educator: {have} of {need}"),
        },
        Missing::FamilyTasks { have, need } => match lang {
            Lang::It => format!("attività in famiglia confermate: {have} su {need}"),
            Lang::En => format!("family tasks confirmed: {have} of {need}"),
        },
        Missing::Weeks { have, need } => match lang {
            Lang::It => format!("settimane di fila con almeno un'attività: {have} su {need}"),
            Lang::En => format!("weeks in a row with at least one activity: {have} of {need}"),
        },
        Missing::Award => t(lang, "lo assegna un educatore", "an educator awards it").to_owned(),
    }
}
