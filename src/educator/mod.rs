//! The educator workspace: cohorts and their join codes, families and consent, the review of
//! challenges, the dashboard, the impact report, and for admins the staff accounts. A second page
//! and wasm at `/educator/` (`educator.html`), built from this same crate, so the learner's first
//! load does not carry it.

mod api;
mod pages;
mod routes;
mod session;
mod state;
mod widgets;

use crate::i18n::{self, t};
use crate::routes::Router;
use leptos::prelude::*;
use leptos::task::spawn_local;
use officina_core::Lang;
use routes::Screen;
use state::Workspace;

/// Mounts the workspace on the page.
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(Frame);
}

#[component]
fn Frame() -> impl IntoView {
    let ws = Workspace::from_storage();
    provide_context(ws);
    let router: Router<Screen> = Router::start();
    provide_context(router);
    i18n::set_document_lang(ws.lang.get_untracked());
    follow_network(ws);
    load_content(ws);
    // As in the learner app, a language change rebuilds the interface.
    move || {
        let lang = ws.lang.get();
        view! {
            <a class="skip-link" href="#main">{t(lang, "Vai al contenuto", "Skip to content")}</a>
            <header class="app-header">
                <a href="/educator/" class="brand">{t(lang, "Officina · Educatori", "Officina · Educators")}</a>
                <LanguageSwitch/>
            </header>
            <Show when=move || !ws.online.get()>
                <p class="notice notice-error offline" role="status">{t(lang, "Sei offline: lo spazio educatori ha bisogno della connessione. Quello che vedi può non essere aggiornato.", "You are offline: the educators' workspace needs a connection. What you see may be out of date.")}</p>
            </Show>
            <Show when=move || ws.session.with(Option::is_some)>
                <Navigation/>
            </Show>
            <main id="main" tabindex="-1">
                {move || if ws.session.with(Option::is_some) {
                    pages::screen(router.route.get())
                } else {
                    view! { <pages::sign_in::SignIn/> }.into_any()
                }}
            </main>
        }
    }
}

/// The workspace's places, who is signed in, and signing out.
#[component]
fn Navigation() -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let lang = ws.lang.get_untracked();
    let route = expect_context::<Router<Screen>>().route;
    let current = move |target: Screen| move || (route.get() == target).then_some("page");
    let name = ws
        .session
        .with_untracked(|s| s.as_ref().map(|s| s.user.nickname.clone()))
        .unwrap_or_default();
    let sign_out = move |_| {
        let token = ws.token();
        spawn_local(async move {
            if let Err(err) = crate::api::logout(&token, false).await {
                leptos::logging::warn!("logout not confirmed by the server: {err}");
            }
        });
        ws.set_session(None);
    };
    view! {
        <nav class="educator-nav no-print" aria-label=t(lang, "Spazio educatori", "Educators' workspace")>
            <a href=Screen::Cohorts.href() aria-current=current(Screen::Cohorts)>{t(lang, "Gruppi", "Cohorts")}</a>
            <a href=Screen::Impact.href() aria-current=current(Screen::Impact)>{t(lang, "Impatto", "Impact")}</a>
            {ws.is_admin().then(|| view! {
                <a href=Screen::Staff.href() aria-current=current(Screen::Staff)>{t(lang, "Educatori", "Educators")}</a>
            })}
            <span class="who">{name}</span>
            <button type="button" class="button-secondary" on:click=sign_out>{t(lang, "Esci", "Sign out")}</button>
        </nav>
    }
}

#[component]
fn LanguageSwitch() -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let (other, label, code) = match ws.lang.get_untracked() {
        Lang::It => (Lang::En, "English", "en"),
        Lang::En => (Lang::It, "Italiano", "it"),
    };
    view! {
        <button type="button" class="button-secondary no-print" lang=code on:click=move |_| ws.set_lang(other)>{label}</button>
    }
}

fn follow_network(ws: Workspace) {
    let on_online = window_event_listener(leptos::ev::online, move |_| ws.online.set(true));
    let on_offline = window_event_listener(leptos::ev::offline, move |_| ws.online.set(false));
    // Both live as long as the page.
    std::mem::forget((on_online, on_offline));
}

/// The programme, once there is someone signed in to use it.
fn load_content(ws: Workspace) {
    Effect::new(move || {
        if ws.session.with(Option::is_none) || ws.content.with_untracked(Option::is_some) {
            return;
        }
        spawn_local(async move {
            match crate::api::fetch_content(None).await {
                Ok(Some((bundle, _))) => ws.content.set(Some(bundle)),
                Ok(None) => {}
                Err(err) => leptos::logging::warn!("programme not fetched: {err}"),
            }
        });
    });
}
