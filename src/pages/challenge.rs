//! A challenge: materials, safety, steps, the learner's account of what they did, and the
//! educator's review of it.

use crate::components::next_activity::NextActivity;
use crate::i18n::t;
use crate::pages::evidence::EvidenceForm;
use crate::pages::sent_photos::SentPhotos;
use crate::review::{self, Outcome};
use crate::state::AppState;
use leptos::prelude::*;
use officina_core::{Challenge, Evidence, Lang, Localized};

/// A titled list of localised items (nothing when empty).
pub fn item_list(
    title: &'static str,
    items: &[Localized],
    ordered: bool,
    lang: Lang,
    class: &'static str,
) -> impl IntoView + use<> {
    let lis = items
        .iter()
        .map(|item| view! { <li>{item.get(lang).to_owned()}</li> })
        .collect_view();
    let list = if ordered {
        view! { <ol>{lis}</ol> }.into_any()
    } else {
        view! { <ul>{lis}</ul> }.into_any()
    };
    (!items.is_empty()).then(|| view! { <section class=class><h2>{title}</h2>{list}</section> })
}

#[component]
pub fn ChallengeTask(activity_id: String, challenge: Challenge) -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang.get_untracked();
    let with_photos = challenge.evidence.contains(&Evidence::Photo);
    let id = StoredValue::new(activity_id);
    // The fold changes with every event that can change the outcome.
    let outcome = Memo::new(move |_| {
        state.fold.with(|fold| {
            state
                .journal
                .with_untracked(|j| id.with_value(|id| review::outcome(&j.log, fold, id)))
        })
    });
    let form = move || view! { <EvidenceForm activity_id=id.get_value() with_photos/> };
    view! {
        {item_list(t(lang, "Sicurezza prima di tutto", "Safety first"), &challenge.safety, false, lang, "safety")}
        {item_list(t(lang, "Materiali", "Materials"), &challenge.materials, false, lang, "materials")}
        {item_list(t(lang, "Passi", "Steps"), &challenge.steps, true, lang, "steps")}
        {move || {
            let (review, photos) = match outcome.get() {
                Outcome::Open => return form().into_any(),
                Outcome::Waiting(photos) => (None, photos),
                Outcome::Approved { comment, photos } => (Some((true, comment)), photos),
                Outcome::ChangesRequested { comment } => (Some((false, comment)), Vec::new()),
            };
            let (reopened, waiting) = (matches!(review, Some((false, _))), review.is_none());
            view! {
                {review.map(|(approved, comment)| review_note(lang, approved, comment))}
                {waiting.then(|| view! {
                    <p class="done-banner" role="status">
                        {t(lang, "✓ Sfida inviata: un educatore la guarderà presto.", "✓ Challenge submitted: an educator will look at it soon.")}
                    </p>
                })}
                <SentPhotos ids=photos/>
                {(!reopened).then(|| view! { <NextActivity activity_id=id.get_value()/> })}
                {reopened.then(form)}
            }
            .into_any()
        }}
    }
}

/// The educator's verdict and comment; after changes requested, the form follows it.
fn review_note(lang: Lang, approved: bool, comment: Option<String>) -> impl IntoView {
    let (class, title) = if approved {
        (
            "review review-approved",
            t(lang, "Approvata ✓", "Approved ✓"),
        )
    } else {
        ("review", t(lang, "Da rivedere", "Changes requested"))
    };
    view! {
        <section class=class role="status">
            <h2>{title}</h2>
            {comment.map(|c| view! { <p>{c}</p> })}
            {(!approved).then(|| view! { <p>{t(lang, "Migliora la sfida e inviala di nuovo.", "Improve the challenge and submit it again.")}</p> })}
        </section>
    }
}
