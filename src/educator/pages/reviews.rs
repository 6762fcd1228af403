//! The review queue: each learner's latest submission of each challenge, pending ones first, with
//! its text and photos; the educator approves it or asks for changes with a comment.

use super::CohortTabs;
use super::award::AwardBadge;
use crate::educator::api;
use crate::educator::routes::Screen;
use crate::educator::state::{Loaded, Workspace, problem_view, show};
use crate::educator::widgets::{SecureImage, short_time};
use crate::i18n::t;
use leptos::prelude::*;
use officina_core::Lang;
use officina_core::payload::{Payload, Review, Verdict};
use officina_core::staff::Submission;

#[component]
pub fn ReviewsPage(id: String) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let lang = ws.lang.get_untracked();
    let cohort = StoredValue::new(id.clone());
    let queue = ws.fetch(|token| async move { api::reviews(&token, &cohort.get_value()).await });
    let list = move |submissions: Vec<Submission>| {
        if submissions.is_empty() {
            return view! { <p class="notice">{t(lang, "Nessuna sfida consegnata per ora.", "No challenges handed in yet.")}</p> }.into_any();
        }
        view! {
            <ul class="submissions" role="list">
                {submissions.into_iter().map(|s| view! { <li><SubmissionCard submission=s queue cohort=cohort.get_value()/></li> }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <CohortTabs id=id.clone() current=Screen::Reviews(id.clone())/>
        <h1>{t(lang, "Revisioni delle sfide", "Challenge reviews")}</h1>
        {show(lang, queue, list)}
        <AwardBadge cohort=id/>
    }
}

#[component]
fn SubmissionCard(
    submission: Submission,
    queue: RwSignal<Loaded<Vec<Submission>>>,
    cohort: String,
) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let lang = ws.lang.get_untracked();
    let comment = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let learner = StoredValue::new(submission.learner_id.clone());
    let activity = StoredValue::new(submission.activity_id.clone());
    let cohort = StoredValue::new(cohort);
    let decide = move |verdict: Verdict| {
        let text = comment.get_untracked().trim().to_owned();
        if verdict == Verdict::ChangesRequested && text.is_empty() {
            problem.set(Some(
                t(
                    lang,
                    "Scrivi nel commento che cosa cambiare.",
                    "Write in the comment what to change.",
                )
                .to_owned(),
            ));
            return;
        }
        let review = Payload::Review(Review {
            verdict,
            comment: (!text.is_empty()).then_some(text),
        });
        let token = ws.token();
        ws.act(
            problem,
            async move {
                let activity = activity.get_value();
                api::record(&token, &learner.get_value(), Some(&activity), &review).await?;
                api::reviews(&token, &cohort.get_value()).await
            },
            move |fresh| queue.set(Loaded::Ready(fresh)),
        );
    };
    let field = format!("comment-{}", submission.event_id);
    // The programme may arrive after the queue: the title follows it (until then, the id).
    let nickname = submission.nickname.clone();
    let title = move || {
        let activity = ws.activity_title(&activity.get_value(), lang);
        format!("{nickname} · {activity}")
    };
    view! {
        <article class="submission">
            <h2>{title}</h2>
            <p class="meta">{t(lang, "Consegnata il ", "Handed in on ")}{short_time(&submission.at)}</p>
            {verdict(&submission, lang)}
            <p class="submission-text">{submission.text.clone()}</p>
            {photos(&submission, lang)}
            <div class="review-form no-print">
                <label for=field.clone()>{t(lang, "Commento per chi ha consegnato", "Comment for the learner")}</label>
                <textarea id=field rows="3" prop:value=move || comment.get() on:input=move |ev| comment.set(event_target_value(&ev))></textarea>
                {problem_view(problem)}
                <div class="actions">
                    <button type="button" class="button-primary" on:click=move |_| decide(Verdict::Approved)>{t(lang, "Approva", "Approve")}</button>
                    <button type="button" class="button-secondary" on:click=move |_| decide(Verdict::ChangesRequested)>{t(lang, "Chiedi modifiche", "Ask for changes")}</button>
                </div>
            </div>
        </article>
    }
}

fn verdict(submission: &Submission, lang: Lang) -> impl IntoView + use<> {
    let (state, comment) = match &submission.review {
        None => (t(lang, "Da rivedere", "To review"), None),
        Some(review) if review.status == "approved" => {
            (t(lang, "Approvata", "Approved"), review.comment.clone())
        }
        Some(review) => (
            t(lang, "Modifiche richieste", "Changes requested"),
            review.comment.clone(),
        ),
    };
    view! {
        <p class="verdict"><strong>{state}</strong>{comment.map(|c| format!(": «{c}»"))}</p>
    }
}

fn photos(submission: &Submission, lang: Lang) -> impl IntoView + use<> {
    let count = submission.photos.len();
    let photos = submission
        .photos
        .iter()
        .enumerate()
        .map(|(n, photo)| {
            let alt = match lang {
                Lang::It => format!("Foto {} di {} consegnata da {}", n + 1, count, submission.nickname),
                Lang::En => format!("Photo {} of {} handed in by {}", n + 1, count, submission.nickname),
            };
            if photo.uploaded {
                view! { <li><SecureImage path=format!("/api/photos/{}", photo.id) alt/></li> }.into_any()
            } else {
                view! { <li class="photo-missing">{t(lang, "foto non ancora arrivata", "photo not arrived yet")}</li> }.into_any()
            }
        })
        .collect_view();
    (count > 0).then(|| view! { <ul class="photos" role="list">{photos}</ul> })
}
