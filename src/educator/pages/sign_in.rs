//! Signing in with the name and password an admin gave (staff accounts only).

use crate::educator::api;
use crate::educator::state::{Workspace, problem_view};
use crate::i18n::t;
use leptos::prelude::*;

#[component]
pub fn SignIn() -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let lang = ws.lang.get_untracked();
    let name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let filled = move || name.with(|n| !n.trim().is_empty()) && password.with(|p| !p.is_empty());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !filled() || busy.get_untracked() {
            return;
        }
        busy.set(true);
        let (n, p) = (name.get_untracked(), password.get_untracked());
        ws.act(
            problem,
            async move {
                let session = api::login(n.trim(), &p).await;
                busy.set(false);
                session
            },
            move |session| ws.set_session(Some(session)),
        );
    };
    view! {
        <h1>{t(lang, "Spazio educatori", "Educators' workspace")}</h1>
        <p>{t(lang, "Accedi con il nome e la password che ti ha dato l'amministratore.", "Sign in with the name and password your administrator gave you.")}</p>
        <form class="sign-in" on:submit=submit>
            <label for="staff-name">{t(lang, "Nome", "Name")}</label>
            <input id="staff-name" type="text" autocomplete="username" required
                prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
            <label for="staff-password">{t(lang, "Password", "Password")}</label>
            <input id="staff-password" type="password" autocomplete="current-password" required
                prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev))/>
            {problem_view(problem)}
            <button class="button-primary" type="submit" disabled=move || !filled() || busy.get()>{t(lang, "Accedi", "Sign in")}</button>
        </form>
    }
}
