//! A challenge: materials, safety, steps, and the learner's account of what they did.

use crate::i18n::t;
use crate::state::AppState;
use leptos::prelude::*;
use officina_core::{Challenge, EventKind, Lang, Localized};

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
    let text = RwSignal::new(String::new());
    let id = StoredValue::new(activity_id);
    let submitted = Memo::new(move |_| id.with_value(|id| state.progress.with(|p| p.is_done(id))));
    let too_short = move || text.with(|t| t.trim().chars().count() < 10);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if too_short() {
            return;
        }
        let data = serde_json::json!({"text": text.get_untracked().trim()});
        id.with_value(|id| state.record(EventKind::ChallengeSubmitted, id, data));
    };
    view! {
        {item_list(t(lang, "Sicurezza prima di tutto", "Safety first"), &challenge.safety, false, lang, "safety")}
        {item_list(t(lang, "Materiali", "Materials"), &challenge.materials, false, lang, "materials")}
        {item_list(t(lang, "Passi", "Steps"), &challenge.steps, true, lang, "steps")}
        <Show
            when=move || submitted.get()
            fallback=move || view! {
                <form class="evidence" on:submit=submit>
                    <h2>{t(lang, "Racconta la tua sfida", "Tell us about your challenge")}</h2>
                    <label for="evidence-text">
                        {t(lang, "Che cosa hai fatto e che cosa hai scoperto? (almeno 10 caratteri)", "What did you do and what did you find out? (at least 10 characters)")}
                    </label>
                    <textarea id="evidence-text" rows="5" maxlength="4000"
                        prop:value=move || text.get()
                        on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                    <button class="button-primary" type="submit" disabled=too_short>
                        {t(lang, "Invia la sfida", "Submit the challenge")}
                    </button>
                </form>
            }
        >
            <p class="done-banner" role="status">
                {t(lang, "✓ Sfida inviata: un educatore la guarderà presto.", "✓ Challenge submitted: an educator will look at it soon.")}
            </p>
        </Show>
    }
}
