//! A challenge: materials, safety, steps, the learner's account of what they did, and the
//! educator's review of it.

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
    let outcome = Memo::new(move |_| {
        id.with_value(|id| state.journal.with(|j| review::outcome(&j.log, id)))
    });
    let form = move || view! { <EvidenceForm activity_id=id.get_value() with_photos/> };
    view! {
        {item_list(t(lang, "Sicurezza prima di tutto", "Safety first"), &challenge.safety, false, lang, "safety")}
        {item_list(t(lang, "Materiali", "Materials"), &challenge.materials, false, lang, "materials")}
        {item_list(t(lang, "Passi", "Steps"), &challenge.steps, true, lang, "steps")}
        {move || match outcome.get() {
            Outcome::Open => form().into_any(),
            Outcome::Waiting(photos) => view! {
                <p class="done-banner" role="status">
                    {t(lang, "✓ Sfida inviata: un educatore la guarderà presto.", "✓ Challenge submitted: an educator will look at it soon.")}
                </p>
                <SentPhotos ids=photos/>
            }.into_any(),
            Outcome::Approved { comment, photos } => view! {
                <section class="review review-approved" role="status">
                    <h2>{t(lang, "Approvata ✓", "Approved ✓")}</h2>
                    {comment.map(|c| view! { <p>{c}</p> })}
                </section>
                <SentPhotos ids=photos/>
            }.into_any(),
            Outcome::ChangesRequested { comment } => view! {
                <section class="review review-changes" role="status">
                    <h2>{t(lang, "Da rivedere", "Changes requested")}</h2>
                    {comment.map(|c| view! { <p>{c}</p> })}
                    <p>{t(lang, "Migliora la sfida e inviala di nuovo.", "Improve the challenge and submit it again.")}</p>
                </section>
                {form()}
            }.into_any(),
        }}
    }
}
