//! A short celebration when an action earns a badge, offline too: the rules run on the phone.
//! The animation is skipped for people who ask the system for reduced motion (see style/main.css).

use crate::i18n::t;
use crate::routes::Router;
use crate::state::{AppState, ContentState};
use leptos::prelude::*;
use officina_core::badges::evaluate;
use officina_core::sorted::insert_sorted;

#[component]
pub fn BadgeCelebration() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang.get_untracked();
    let earned = Memo::new(move |_| {
        state.content.with(|content| match content {
            ContentState::Ready(bundle) => state.fold.with(|fold| {
                state.progress.with(|progress| {
                    // Sorted and without repeats, as a set would be, with less code.
                    let mut names = Vec::new();
                    for status in evaluate(bundle, fold, progress) {
                        if status.earned() && state.shows_badge(status.badge) {
                            insert_sorted(&mut names, status.badge.name.get(lang).to_owned());
                        }
                    }
                    names
                })
            }),
            _ => Vec::new(),
        })
    });
    let fresh = RwSignal::new(Vec::<String>::new());
    // Only badges earned while the app is open are celebrated, not those already earned at start.
    let known = StoredValue::new(earned.get_untracked());
    Effect::new(move |_| {
        let now = earned.get();
        let new: Vec<String> = known.with_value(|before| {
            now.iter()
                .filter(|n| !before.contains(n))
                .cloned()
                .collect()
        });
        let content_ready = state
            .content
            .with_untracked(|c| matches!(c, ContentState::Ready(_)));
        known.set_value(now);
        if !new.is_empty() && content_ready {
            fresh.set(new);
        }
    });
    // The celebration belongs to the screen where the badge was earned: moving on closes it, so
    // it never covers the buttons of the next screen.
    let router = expect_context::<Router>();
    Effect::new(move |_| {
        router.route.track();
        fresh.set(Vec::new());
    });
    view! {
        <Show when=move || !fresh.with(Vec::is_empty)>
            <div class="celebration" role="status">
                <span class="celebration-icon" aria-hidden="true">"🏅"</span>
                <p>
                    <strong>{t(lang, "Nuovo badge!", "New badge!")}</strong>" "
                    {move || fresh.get().join(", ")}
                </p>
                <button class="button-secondary" on:click=move |_| fresh.set(Vec::new())>{t(lang, "Chiudi", "Close")}</button>
            </div>
        </Show>
    }
}
