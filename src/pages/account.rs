//! Joining a cohort with its code, signing in again on another device, and signing out.
//! No email: a nickname inside the cohort and a secret (a PIN or a passphrase).

use crate::api;
use crate::i18n::t;
use crate::state::AppState;
use crate::sync;
use leptos::prelude::*;
use leptos::task::spawn_local;
use officina_core::Lang;
use officina_core::account::{AgeBand, NICKNAME_CHARS, secret_length_ok};

#[component]
pub fn AccountSection() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang.get_untracked();
    view! {
        <section aria-labelledby="account-title">
            <h2 id="account-title">{t(lang, "Il tuo gruppo", "Your group")}</h2>
            <Show when=move || state.session.with(Option::is_some) fallback=SignInForm>
                <SignedIn/>
            </Show>
        </section>
    }
}

#[component]
fn SignedIn() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang.get_untracked();
    let nickname = move || {
        state.session.with(|s| {
            s.as_ref()
                .map(|s| s.user.nickname.clone())
                .unwrap_or_default()
        })
    };
    let warned = RwSignal::new(false);
    let show_warning = move || warned.get() && state.pending_count() != 0;
    let sign_out = move |_| {
        if state.pending_count_untracked() > 0 && !warned.get_untracked() {
            // First try to send what is waiting; sign out only once it is gone, or when asked twice.
            sync::sync_soon(state);
            warned.set(true);
            return;
        }
        if let Some(token) = state.token_untracked() {
            spawn_local(async move {
                if let Err(err) = api::logout(&token).await {
                    leptos::logging::warn!("logout not confirmed by the server: {err}");
                }
            });
        }
        state.signed_out();
    };
    view! {
        <p class="signed-in">
            {t(lang, "Sei nel gruppo come ", "You are in the group as ")}<strong>{nickname}</strong>"."
        </p>
        <Show when=show_warning>
            <p class="notice notice-error" role="alert">{move || match lang {
                Lang::It => format!("Hai {} azioni non ancora inviate. Se esci ora restano su questo dispositivo e partiranno quando rientri. Premi di nuovo «Esci» per uscire comunque.", state.pending_count()),
                Lang::En => format!("You have {} actions not sent yet. If you sign out now they stay on this device and leave when you sign in again. Press «Sign out» again to sign out anyway.", state.pending_count()),
            }}</p>
        </Show>
        <button class="button-secondary" on:click=sign_out>{t(lang, "Esci", "Sign out")}</button>
    }
}

#[component]
fn SignInForm() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang.get_untracked();
    let new_account = RwSignal::new(true);
    let age_band = RwSignal::new(None::<AgeBand>);
    let code = RwSignal::new(code_in_address().unwrap_or_default());
    let nickname = RwSignal::new(String::new());
    let secret = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let valid = move || {
        code.with(|c| c.trim().len() >= 4)
            && NICKNAME_CHARS.contains(&nickname.with(|n| n.trim().chars().count()))
            && secret.with(|s| secret_length_ok(s))
            && (!new_account.get() || age_band.get().is_some())
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !valid() || busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let (c, n, s) = (
            code.get_untracked(),
            nickname.get_untracked(),
            secret.get_untracked(),
        );
        spawn_local(async move {
            let joining = new_account
                .get_untracked()
                .then(|| age_band.get_untracked().unwrap_or(AgeBand::Under14));
            match api::sign_in(joining, c.trim(), n.trim(), &s).await {
                Ok(session) => state.signed_in(session),
                Err(api::ApiError::Network(_)) => error.set(Some(
                    t(
                        lang,
                        "Serve la connessione per entrare nel gruppo: riprova quando sei in linea.",
                        "You need a connection to join the group: try again when you are online.",
                    )
                    .to_owned(),
                )),
                Err(err) => error.set(Some(err.to_string())),
            }
            busy.set(false);
        });
    };
    let field = move |id: &'static str,
                      label: &'static str,
                      value: RwSignal<String>,
                      kind: &'static str,
                      autocomplete: &'static str| {
        view! {
            <label for=id>{label}</label>
            <input id=id type=kind autocomplete=autocomplete
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))/>
        }
    };
    view! {
        <form class="sign-in" on:submit=submit>
            <p>{t(lang, "Entra nel gruppo con il codice che ti dà l'educatore: così il tuo lavoro arriva al server e lo ritrovi su ogni dispositivo.", "Join the group with the code your educator gives you: your work then reaches the server and follows you on every device.")}</p>
            <fieldset class="choice-row">
                <legend>{t(lang, "È la prima volta?", "Is this your first time?")}</legend>
                <div class="choice">
                    <input type="radio" id="account-new" name="account" prop:checked=move || new_account.get() on:change=move |_| new_account.set(true)/>
                    <label for="account-new">{t(lang, "Sì, mi iscrivo", "Yes, sign me up")}</label>
                </div>
                <div class="choice">
                    <input type="radio" id="account-old" name="account" prop:checked=move || !new_account.get() on:change=move |_| new_account.set(false)/>
                    <label for="account-old">{t(lang, "No, ho già un profilo", "No, I already have a profile")}</label>
                </div>
            </fieldset>
            <Show when=move || new_account.get()>
                <fieldset class="choice-row">
                    <legend>{t(lang, "Quanti anni hai?", "How old are you?")}</legend>
                    <div class="choice">
                        <input type="radio" id="age-under-14" name="age" prop:checked=move || age_band.get() == Some(AgeBand::Under14) on:change=move |_| age_band.set(Some(AgeBand::Under14))/>
                        <label for="age-under-14">{t(lang, "Meno di 14", "Under 14")}</label>
                    </div>
                    <div class="choice">
                        <input type="radio" id="age-14-plus" name="age" prop:checked=move || age_band.get() == Some(AgeBand::From14) on:change=move |_| age_band.set(Some(AgeBand::From14))/>
                        <label for="age-14-plus">{t(lang, "14 o più", "14 or more")}</label>
                    </div>
                </fieldset>
            </Show>
            {field("join-code", t(lang, "Codice del gruppo", "Group code"), code, "text", "off")}
            {field("join-nickname", t(lang, "Soprannome (da 2 a 24 caratteri, niente nome e cognome)", "Nickname (2 to 24 characters, not your full name)"), nickname, "text", "nickname")}
            {field("join-secret", t(lang, "PIN o parola segreta (almeno 6 caratteri)", "PIN or secret word (at least 6 characters)"), secret, "password", "current-password")}
            {move || error.get().map(|message| view! { <p class="notice notice-error" role="alert">{message}</p> })}
            <button class="button-primary" type="submit" disabled=move || !valid() || busy.get()>
                {move || if new_account.get() { t(lang, "Entra nel gruppo", "Join the group") } else { t(lang, "Accedi", "Sign in") }}
            </button>
        </form>
    }
}

/// The join code of an educator's QR code, which opens `/?codice=CODE`.
pub fn code_in_address() -> Option<String> {
    code_in_query(&window().location().search().ok()?)
}

fn code_in_query(search: &str) -> Option<String> {
    let code = search
        .trim_start_matches('?')
        .split('&')
        .find_map(|pair| pair.strip_prefix("codice="))?;
    // Join codes are letters and digits: anything else is not one, and is not shown.
    (!code.is_empty() && code.bytes().all(|b| b.is_ascii_alphanumeric())).then(|| code.to_owned())
}

#[cfg(test)]
mod tests {
    use super::code_in_query;

    #[test]
    fn the_join_code_comes_from_the_qr_codes_address() {
        assert_eq!(code_in_query("?codice=K7MQ2X9A"), Some("K7MQ2X9A".into()));
        assert_eq!(code_in_query("?lang=it&codice=ab23"), Some("ab23".into()));
        assert_eq!(code_in_query("?codice="), None);
        assert_eq!(code_in_query("?codice=%3Cscript%3E"), None);
        assert_eq!(code_in_query("?altro=K7MQ2X9A"), None);
        assert_eq!(code_in_query(""), None);
    }
}
