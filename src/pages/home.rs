//! Home: continue where I left off, then the programme's paths with the learner's progress.

use crate::components::content_gate::WithContent;
use crate::components::progress_bar::ProgressBar;
use crate::i18n::t;
use crate::pages::account::{self, AccountSection};
use crate::pages::activity::kind_label;
use crate::rare;
use crate::state::AppState;
use leptos::prelude::*;
use officina_core::account::Role;
use officina_core::placement::{arrange, path_place};
use officina_core::{Bundle, Lang, Path};

#[component]
pub fn HomePage() -> impl IntoView {
    let state = expect_context::<AppState>();
    // A parent who has just joined on this screen (from the QR code's link) gets their home at once.
    let parent = Memo::new(move |_| {
        state
            .session
            .with(|s| s.as_ref().is_some_and(|s| s.user.role == Role::Parent))
    });
    move || {
        if parent.get() {
            Suspend::new(rare::parents_home(state.lang.get_untracked())).into_any()
        } else {
            learners_home(state).into_any()
        }
    }
}

fn learners_home(state: AppState) -> impl IntoView {
    let lang = state.lang.get_untracked();
    // Newcomers get a word on what Officina is; it needs no content, so it shows at once.
    let newcomer = state.journal.with_untracked(|j| j.log.is_empty());
    // Opened from an educator's QR code: joining the group comes first.
    let joining =
        account::code_in_address().is_some() && state.session.with_untracked(Option::is_none);
    view! {
        {joining.then(|| view! { <AccountSection/> })}
        {newcomer.then(|| welcome(lang))}
        <h1>{t(lang, "I tuoi percorsi", "Your paths")}</h1>
        <WithContent view=home/>
    }
}

fn welcome(lang: Lang) -> impl IntoView {
    view! {
        <section class="welcome" aria-labelledby="welcome-title">
            <h2 id="welcome-title">{t(lang, "Benvenuta, benvenuto in Officina!", "Welcome to Officina!")}</h2>
            <p>{t(
                lang,
                "Qui trovi i percorsi di Social STEAMcamp: lezioni brevi, quiz, sfide da fare con le mani e attività da fare in famiglia. Ogni passo ti fa guadagnare badge. Officina funziona anche senza connessione: quello che fai resta sul telefono e arriva agli educatori appena torni in linea.",
                "Here are the Social STEAMcamp paths: short lessons, quizzes, hands-on challenges and tasks to do with your family. Every step earns you badges. Officina works offline too: what you do stays on your phone and reaches the educators as soon as you are back online.",
            )}</p>
        </section>
    }
}

fn home(bundle: &Bundle, lang: Lang) -> impl IntoView + use<> {
    let state = expect_context::<AppState>();
    let progress = state.progress.get();
    let own = state.own_path(bundle);
    let next = progress.continue_with(bundle, own).map(|(path, activity)| {
        view! {
            <section class="continue" aria-labelledby="continue-title">
                <h2 id="continue-title">{t(lang, "Continua da dove eri rimasto", "Continue where you left off")}</h2>
                <a class="card-link" href=format!("/attivita/{}", activity.id)>
                    <span class="kind">{kind_label(activity.kind(), lang)}" · "{path.title.get(lang).to_owned()}</span>
                    <strong>{activity.title.get(lang).to_owned()}</strong>
                </a>
            </section>
        }
    });
    let places: Vec<_> = bundle.paths.iter().map(|p| path_place(p, own)).collect();
    let (first, others) = arrange(&places);
    let list = |positions: Vec<usize>| {
        let cards = positions
            .into_iter()
            .map(|i| {
                path_card(
                    &bundle.paths[i],
                    progress.path_percent(&bundle.paths[i]),
                    lang,
                )
            })
            .collect_view();
        view! { <ul class="cards" role="list">{cards}</ul> }
    };
    let first = list(first);
    // Before joining there are no others: the box is left out then.
    let none = others.is_empty();
    let others = view! {
        <details class="others" hidden=none>
            <summary>{t(lang, "Altri percorsi", "Other paths")}</summary>
            {list(others)}
        </details>
    };
    let score = state.playful.get().then(|| {
        let weeks = state.fold.with(|fold| fold.weeks().longest());
        let text = match lang {
            Lang::It => format!(
                "Punti: {} · settimane attive di fila: {weeks}",
                progress.xp(bundle)
            ),
            Lang::En => format!(
                "Points: {} · active weeks in a row: {weeks}",
                progress.xp(bundle)
            ),
        };
        view! { <p class="score">{text}</p> }
    });
    view! {
        {score}
        {next}
        {first}
        {others}
    }
}

fn path_card(path: &Path, percent: u8, lang: Lang) -> impl IntoView + use<> {
    view! {
        <li>
            <a class="card-link path-card" href=format!("/percorsi/{}", path.id)>
                {path.cover.clone().map(|src| view! { <img class="cover" src=src alt="" width="72" height="72" loading="lazy"/> })}
                <div class="path-card-text">
                    <h2>{path.title.get(lang).to_owned()}</h2>
                    <span class="summary">{path.summary.get(lang).to_owned()}</span>
                    <ProgressBar percent lang/>
                </div>
            </a>
        </li>
    }
}
