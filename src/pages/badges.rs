//! Badges: the earned ones, and for each locked one exactly what is still missing.

use crate::api::{self, MyBadges};
use crate::components::content_gate::WithContent;
use crate::i18n::{count, noun, t};
use crate::rare;
use crate::state::AppState;
use leptos::prelude::*;
use leptos::task::spawn_local;
use officina_core::account::Role;
use officina_core::badges::{BadgeStatus, Missing, evaluate};
use officina_core::placement::{Place, arrange, badge_place};
use officina_core::{Bundle, Lang};

#[component]
pub fn BadgesPage() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang.get_untracked();
    // The Open Badges the server issued for the synced work: the ones a learner can keep.
    let mine = RwSignal::new(MyBadges::default());
    let is_parent = state
        .session
        .with_untracked(|s| s.as_ref().is_some_and(|s| s.user.role == Role::Parent));
    if let Some(token) = state.token_untracked() {
        spawn_local(async move {
            match api::my_badges(&token).await {
                Ok(found) => mine.set(found),
                Err(err) => leptos::logging::warn!("badges not fetched: {err}"),
            }
        });
    }
    view! {
        <h1>{t(lang, "I tuoi badge", "Your badges")}</h1>
        <Show when=move || mine.with(|m| m.consent_needed)>
            <p class="notice">{t(lang, "Per tenere i tuoi badge anche fuori da Officina serve il consenso di un genitore (hai meno di 14 anni): collegatevi dal profilo, nella sezione Famiglia.", "To keep your badges outside Officina a parent's consent is needed (you are under 14): link up in your profile, under Family.")}</p>
        </Show>
        {is_parent.then(|| Suspend::new(rare::children_badges()))}
        <Show when=move || state.session.with(Option::is_some) && !mine.with(|m| m.consent_needed)>
            <NicknameChoice mine/>
        </Show>
        <WithContent view=move |bundle, lang| badges(bundle, lang, mine)/>
    }
}

/// Whether the badges' public profile shows the nickname: the learner's choice, off by default.
#[component]
fn NicknameChoice(mine: RwSignal<MyBadges>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang.get_untracked();
    let toggle = move |ev: leptos::ev::Event| {
        let show = event_target_checked(&ev);
        let Some(token) = state.token_untracked() else {
            return;
        };
        spawn_local(async move {
            match api::show_nickname(&token, show).await {
                Ok(()) => mine.update(|m| m.show_nickname = show),
                Err(err) => leptos::logging::warn!("nickname choice not saved: {err}"),
            }
        });
    };
    view! {
        <div class="choice">
            <input type="checkbox" id="show-nickname" prop:checked=move || mine.with(|m| m.show_nickname) on:change=toggle/>
            <label for="show-nickname">{t(lang, "Mostra il mio soprannome a chi verifica i miei badge", "Show my nickname to whoever verifies my badges")}</label>
        </div>
    }
}

fn badges(bundle: &Bundle, lang: Lang, mine: RwSignal<MyBadges>) -> impl IntoView + use<> {
    let state = expect_context::<AppState>();
    let signed_in = state.session.with_untracked(Option::is_some);
    let statuses = state.fold.with(|fold| {
        state.progress.with(|p| {
            evaluate(bundle, fold, p)
                .into_iter()
                .filter(|s| state.shows_badge(s.badge))
                .collect::<Vec<_>>()
        })
    });
    let own = state.own_path(bundle);
    let places: Vec<_> = statuses
        .iter()
        .map(|s| match badge_place(bundle, s.badge, own) {
            // An earned badge is always shown, after the own path's and the shared ones.
            Place::Hidden if s.earned() => Place::Other,
            place => place,
        })
        .collect();
    let (first, others) = arrange(&places);
    let cards = |positions: &[usize], earned: bool| {
        positions
            .iter()
            .map(|&i| &statuses[i])
            .filter(|s| s.earned() == earned)
            .map(|s| badge_card(bundle, s, lang, signed_in.then_some(mine)))
            .collect_view()
    };
    let mut all = first.clone();
    all.extend(&others);
    let earned = cards(&all, true);
    let locked = cards(&first, false);
    let others_locked = cards(&others, false);
    let count = all.iter().filter(|&&i| statuses[i].earned()).count();
    // Before joining there are no others: the box is left out then.
    let none = others_locked.is_empty();
    let others = view! {
        <details class="others" hidden=none>
            <summary>{t(lang, "Altri badge", "Other badges")}</summary>
            <ul class="badges" role="list">{others_locked}</ul>
        </details>
    };
    view! {
        <section aria-labelledby="earned-title">
            <h2 id="earned-title">{t(lang, "Guadagnati", "Earned")}" ("{count}")"</h2>
            {if count == 0 {
                view! { <p class="notice">{t(lang, "Ancora nessuno: il primo è vicino!", "None yet: the first one is close!")}</p> }.into_any()
            } else {
                view! { <ul class="badges" role="list">{earned}</ul> }.into_any()
            }}
        </section>
        <section aria-labelledby="locked-title">
            <h2 id="locked-title">{t(lang, "Da conquistare", "To earn")}</h2>
            <ul class="badges" role="list">{locked}</ul>
            {others}
        </section>
    }
}

fn badge_card(
    bundle: &Bundle,
    status: &BadgeStatus,
    lang: Lang,
    mine: Option<RwSignal<MyBadges>>,
) -> AnyView {
    let badge = status.badge;
    let missing = status.missing().map(|m| missing_text(bundle, m, lang));
    let earned = status.earned();
    let keep = mine.filter(|_| earned).map(|mine| {
        let id = badge.id.clone();
        move || match mine.with(|m| m.assertions.iter().find(|a| a.badge_id == id).cloned()) {
            Some(assertion) => Suspend::new(rare::keep_badge(assertion)).into_any(),
            None if mine.with(|m| m.consent_needed) => ().into_any(),
            None => view! {
                <p class="missing">{t(lang, "Il badge ufficiale, da tenere anche dopo il camp, arriva quando il tuo lavoro è sul server.", "The official badge, yours to keep after the camp, arrives once your work is on the server.")}</p>
            }
            .into_any(),
        }
    });
    view! {
        <li class=if earned { "badge badge-earned" } else { "badge badge-locked" }>
            <img src=badge.image.clone() alt="" width="64" height="64"/>
            <div>
                <h3>{badge.name.get(lang).to_owned()}</h3>
                <p>{badge.description.get(lang).to_owned()}</p>
                {missing.map(|m| view! { <p class="missing"><strong>{t(lang, "Ti manca: ", "Still needed: ")}</strong>{m}</p> })}
                {keep}
            </div>
        </li>
    }
    .into_any()
}

fn missing_text(bundle: &Bundle, missing: &Missing, lang: Lang) -> String {
    match missing {
        Missing::Activities(ids) => {
            const SHOWN: usize = 3;
            let titles: Vec<&str> = ids
                .iter()
                .take(SHOWN)
                .filter_map(|id| bundle.activity(id))
                .map(|a| a.activity.title.get(lang))
                .collect();
            let more = ids.len().saturating_sub(SHOWN);
            if more == 0 {
                return titles.join(", ");
            }
            let more = count(
                lang,
                more,
                ("altra attività", "altre attività"),
                ("more activity", "more activities"),
            );
            format!("{} {} {more}", titles.join(", "), t(lang, "e", "and"))
        }
        Missing::ChallengesApproved { have, need } => match lang {
            Lang::It => format!("sfide approvate da un educatore: {have} su {need}"),
            Lang::En => format!("challenges approved by an educator: {have} of {need}"),
        },
        Missing::FamilyTasks { have, need } => match lang {
            Lang::It => format!("attività in famiglia confermate: {have} su {need}"),
            Lang::En => format!("family tasks confirmed: {have} of {need}"),
        },
        Missing::Weeks { have, need, late } => {
            let weeks = match lang {
                Lang::It => format!("settimane di fila con almeno un'attività: {have} su {need}"),
                Lang::En => format!("weeks in a row with at least one activity: {have} of {need}"),
            };
            if *late == 0 {
                return weeks;
            }
            let n = *late as usize;
            let late = count(lang, n, ("settimana", "settimane"), ("week", "weeks"));
            let verb = noun(
                lang,
                n,
                ("non conta", "non contano"),
                ("does not count", "do not count"),
            );
            match lang {
                Lang::It => format!(
                    "{weeks}; {late} {verb}: le attività sono arrivate al server più di 4 settimane dopo"
                ),
                Lang::En => format!(
                    "{weeks}; {late} {verb}: the activities reached the server more than 4 weeks later"
                ),
            }
        }
        Missing::Award => t(lang, "lo assegna un educatore", "an educator awards it").to_owned(),
    }
}
