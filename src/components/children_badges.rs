//! For a parent: the badges of their children (by a confirmed link), to keep for them (a learner under 14 cannot
//! take badges out of Officina alone).

use crate::api::{self, Assertion};
use crate::components::keep_badge::KeepBadge;
use crate::i18n::t;
use crate::state::{AppState, ContentState};
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn ChildrenBadges() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang.get_untracked();
    let children = RwSignal::new(Vec::<(String, Vec<Assertion>)>::new());
    if let Some(token) = state.token_untracked() {
        spawn_local(async move {
            let Ok(family) = api::family(&token).await else {
                return;
            };
            let mut found = Vec::new();
            // A pending link gives nothing: the server answers 404 until an educator confirms it.
            for child in family.children.into_iter().filter(|c| c.confirmed) {
                if let Ok(badges) = api::child_badges(&token, &child.id).await {
                    found.push((child.nickname, badges.assertions));
                }
            }
            children.set(found);
        });
    }
    let badge_name = move |id: &str| {
        state.content.with_untracked(|content| match content {
            ContentState::Ready(bundle) => bundle
                .badges
                .iter()
                .find(|b| b.id == id)
                .map(|b| b.name.get(lang).to_owned()),
            _ => None,
        })
    };
    move || {
        children
            .get()
            .into_iter()
            .map(|(nickname, assertions)| {
                let title = match lang {
                    officina_core::Lang::It => format!("I badge di {nickname}"),
                    officina_core::Lang::En => format!("{nickname}'s badges"),
                };
                let items = assertions
                    .into_iter()
                    .map(|assertion| {
                        let name = badge_name(&assertion.badge_id).unwrap_or_else(|| assertion.badge_id.clone());
                        view! { <li class="badge"><div><h3>{name}</h3><KeepBadge assertion/></div></li> }
                    })
                    .collect_view();
                view! {
                    <section class="children-badges">
                        <h2>{title}</h2>
                        <ul class="badges" role="list">{items}</ul>
                        <p class="missing">{t(lang, "Nuovi badge compaiono qui quando il lavoro di tuo figlio o tua figlia è sul server.", "New badges appear here once your child's work is on the server.")}</p>
                    </section>
                }
            })
            .collect_view()
    }
}
