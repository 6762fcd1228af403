//! One activity: its header and text, then what its kind asks the learner to do.

use crate::components::content_gate::WithContent;
use crate::i18n::t;
use crate::pages::challenge::ChallengeTask;
use crate::pages::lesson::CompleteButton;
use crate::pages::not_found::NotFound;
use leptos::prelude::*;
use officina_core::{ActivityKind, Bundle, Details, Lang};

/// How each kind of activity is named to learners.
pub fn kind_label(kind: ActivityKind, lang: Lang) -> &'static str {
    match kind {
        ActivityKind::Lesson => t(lang, "Lezione", "Lesson"),
        ActivityKind::Quiz => t(lang, "Quiz", "Quiz"),
        ActivityKind::Challenge => t(lang, "Sfida", "Challenge"),
        ActivityKind::FamilyTask => t(lang, "In famiglia", "Family task"),
    }
}

#[component]
pub fn ActivityPage(id: String) -> impl IntoView {
    let view = move |bundle: &Bundle, lang: Lang| {
        let Some(found) = bundle.activity(&id) else {
            return NotFound().into_any();
        };
        let activity = found.activity.clone();
        let minutes = activity.minutes.map(|m| match lang {
            Lang::It => format!(" · circa {m} minuti"),
            Lang::En => format!(" · about {m} minutes"),
        });
        let task = match &activity.details {
            Details::Lesson => view! { <CompleteButton activity_id=activity.id.clone()/> }.into_any(),
            Details::Quiz(quiz) => Suspend::new(crate::rare::quiz(activity.id.clone(), quiz.clone())).into_any(),
            Details::Challenge(challenge) => {
                view! { <ChallengeTask activity_id=activity.id.clone() challenge=challenge.clone()/> }.into_any()
            }
            Details::FamilyTask(task) => {
                Suspend::new(crate::rare::family_task(activity.id.clone(), task.clone())).into_any()
            }
        };
        view! {
            <nav aria-label=t(lang, "Percorso", "Path")>
                <a href=format!("/percorsi/{}", found.path.id)>{format!("← {}", found.path.title.get(lang))}</a>
            </nav>
            <article class="activity">
                <p class="kind">{kind_label(activity.kind(), lang)}{minutes}</p>
                <h1>{activity.title.get(lang).to_owned()}</h1>
                <div class="prose" inner_html=activity.body_html.get(lang).to_owned()></div>
                {task}
            </article>
        }
        .into_any()
    };
    view! { <WithContent view/> }
}
