//! Joining a cohort with its code, signing in again on another device, and signing out.
//! No email: a nickname inside the cohort and a PIN (at least 6 characters, digits or letters).

use crate::api;
use crate::explain::explain;
use crate::i18n::{count, noun, t};
use crate::state::AppState;
use crate::sync;
use leptos::prelude::*;
use leptos::task::spawn_local;
use officina_core::Lang;
use officina_core::account::{AgeBand, NICKNAME_CHARS, Role, secret_length_ok};

#[component]
pub fn AccountSection() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang.get_untracked();
    view! {
        <section aria-labelledby="account-title">
            <h2 id="account-title">{t(lang, "Il tuo gruppo", "Your group")}</h2>
            <Show when=move || state.session.with(Option::is_some) fallback=|| Suspend::new(crate::rare::sign_in_form())>
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
    let asking = RwSignal::new(false);
    let ask = move |_| {
        // Try to send what is waiting while the person reads what signing out means.
        sync::sync_soon(state);
        asking.set(true);
    };
    let error = RwSignal::new(None::<String>);
    let sign_out = move |everywhere: bool| {
        move |_| {
            if !everywhere {
                asking.set(false);
                state.signed_out();
            }
            let Some(token) = state.token_untracked() else {
                return;
            };
            spawn_local(async move {
                match api::logout(&token, everywhere).await {
                    Ok(()) if everywhere => state.signed_out(),
                    Ok(()) => {}
                    // The other devices are out only once the server says so: never pretend.
                    Err(err) if everywhere => error.set(Some(explain(lang, &err))),
                    Err(err) => leptos::logging::warn!("logout not confirmed by the server: {err}"),
                }
            });
        }
    };
    let what_stays = move || {
        match (lang, state.pending_count()) {
        (Lang::It, 0) => "Il tuo lavoro è sul server: lo ritrovi quando rientri con codice del gruppo, soprannome e PIN. Da questo dispositivo escono il tuo accesso e la copia del tuo lavoro.".to_owned(),
        (Lang::En, 0) => "Your work is on the server: you find it again when you sign in with group code, nickname and PIN. Your access and the copy of your work leave this device.".to_owned(),
        (lang, n) => {
            let actions = count(lang, n, ("azione", "azioni"), ("action", "actions"));
            let stays = noun(lang, n, ("resta", "restano"), ("stays", "stay"));
            let sent = noun(lang, n, ("inviata", "inviate"), ("sent", "sent"));
            match lang {
                Lang::It => format!("Il lavoro già inviato è sul server. Su questo dispositivo {stays} {actions} non ancora {sent}: parte tutto quando rientri qui con codice del gruppo, soprannome e PIN."),
                Lang::En => format!("The work already sent is on the server. {actions} not {sent} yet {stays} on this device: everything leaves when you sign in here again with group code, nickname and PIN."),
            }
        }
    }
    };
    view! {
        <p class="signed-in">
            {t(lang, "Sei nel gruppo come ", "You are in the group as ")}<strong>{nickname}</strong>"."
        </p>
        <button class="button-secondary" on:click=ask hidden=move || asking.get()>{t(lang, "Esci", "Sign out")}</button>
        <div class="confirm" role="group" aria-labelledby="sign-out-title" hidden=move || !asking.get()>
            <h3 id="sign-out-title">{t(lang, "Vuoi uscire dal gruppo su questo dispositivo?", "Sign out of the group on this device?")}</h3>
            <p>{what_stays}</p>
            <div class="actions">
                <button class="button-primary" on:click=sign_out(false)>{t(lang, "Sì, esci", "Yes, sign out")}</button>
                <button class="button-secondary" on:click=move |_| asking.set(false)>{t(lang, "Resta nel gruppo", "Stay in the group")}</button>
            </div>
            <p>{t(lang,
                "Hai perso un telefono? Esci anche dagli altri dispositivi: lì si rientra con codice, soprannome e PIN.",
                "Lost a phone? Sign out of your other devices too: there you sign in again with code, nickname and PIN.")}</p>
            {move || error.get().map(|message| view! { <p class="notice notice-error" role="alert">{message}</p> })}
            <button class="button-secondary" on:click=sign_out(true)>{t(lang, "Esci da tutti i dispositivi", "Sign out of every device")}</button>
        </div>
    }
}

#[component]
pub fn SignInForm() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang.get_untracked();
    let new_account = RwSignal::new(true);
    let code = RwSignal::new(code_in_address().unwrap_or_default());
    // Whether parents may join with the code too, once the server said (`None` until checked).
    let parents = RwSignal::new(None::<bool>);
    let who = RwSignal::new(None::<Role>);
    let age_band = RwSignal::new(None::<AgeBand>);
    let nickname = RwSignal::new(String::new());
    let secret = RwSignal::new(String::new());
    // A recovery code from the educator: then `secret` is the new PIN.
    let recovery = RwSignal::new(String::new());
    let recovering = move || !new_account.get() && recovery.with(|r| !r.trim().is_empty());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let fail = move |err: api::ApiError| {
        error.set(Some(match err {
            api::ApiError::Network(_) => t(
                lang,
                "Serve la connessione per entrare nel gruppo: riprova quando sei in linea.",
                "You need a connection to join the group: try again when you are online.",
            )
            .to_owned(),
            err => explain(lang, &err),
        }))
    };
    let check_code = move || {
        busy.set(true);
        let typed = code.get_untracked();
        spawn_local(async move {
            match api::join_roles(typed.trim()).await {
                Ok(roles) => {
                    let parents_too = roles.contains(&Role::Parent);
                    // A cohort only of learners asks no question about who is joining.
                    who.set((!parents_too).then_some(Role::Learner));
                    parents.set(Some(parents_too));
                }
                Err(err) => fail(err),
            }
            busy.set(false);
        });
    };
    // The code of an educator's QR code is checked at once.
    if !code.get_untracked().is_empty() {
        check_code();
    }
    let joining = move || new_account.get() && parents.get().is_some();
    let asks_who = move || new_account.get() && parents.get() == Some(true);
    let asks_age = move || joining() && who.get() == Some(Role::Learner);
    let missing = move || {
        let mut missing = Vec::new();
        if code.with(|c| c.trim().len() < 4) {
            missing.push(t(lang, "Codice del gruppo", "Group code"));
        }
        if new_account.get_untracked() && parents.get_untracked().is_none() {
            return missing;
        }
        if asks_who() && who.get_untracked().is_none() {
            missing.push(t(lang, "Chi si iscrive?", "Who is joining?"));
        }
        if asks_age() && age_band.get_untracked().is_none() {
            missing.push(t(lang, "Quanti anni hai?", "How old are you?"));
        }
        if !NICKNAME_CHARS.contains(&nickname.with(|n| n.trim().chars().count())) {
            missing.push(t(
                lang,
                "Soprannome (da 2 a 24 caratteri)",
                "Nickname (2 to 24 characters)",
            ));
        }
        if !secret.with(|s| secret_length_ok(s)) {
            missing.push(t(
                lang,
                "PIN (almeno 6 caratteri)",
                "PIN (at least 6 characters)",
            ));
        }
        missing
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let missing = missing();
        if !missing.is_empty() {
            error.set(Some(to_complete(lang, &missing)));
            return;
        }
        error.set(None);
        if new_account.get_untracked() && parents.get_untracked().is_none() {
            check_code();
            return;
        }
        busy.set(true);
        let how = if new_account.get_untracked() {
            let role = who.get_untracked().unwrap_or(Role::Learner);
            api::SignIn::Join(api::Joining {
                role,
                age_band: (role == Role::Learner)
                    .then(|| age_band.get_untracked())
                    .flatten(),
            })
        } else if recovering() {
            api::SignIn::Recover(recovery.get_untracked())
        } else {
            api::SignIn::Login
        };
        let (c, n, s) = (
            code.get_untracked(),
            nickname.get_untracked(),
            secret.get_untracked(),
        );
        spawn_local(async move {
            match api::sign_in(how, c.trim(), n.trim(), &s).await {
                Ok(session) => state.signed_in(session),
                Err(err) => fail(err),
            }
            busy.set(false);
        });
    };
    let field = move |id: &'static str,
                      label: &'static str,
                      hint: &'static str,
                      value: RwSignal<String>,
                      kind: &'static str,
                      autocomplete: &'static str| {
        let hint_id = format!("{id}-hint");
        view! {
            <label for=id>{label}</label>
            <p class="hint" id=hint_id.clone()>{hint}</p>
            <input id=id type=kind autocomplete=autocomplete aria-describedby=hint_id
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))/>
        }
    };
    view! {
        <form class="sign-in" on:submit=submit>
            <p>{t(lang, "Entra nel gruppo con il codice che ti dà l'educatore: così il tuo lavoro arriva al server e lo ritrovi su ogni dispositivo.", "Join the group with the code your educator gives you: your work then reaches the server and follows you on every device.")}" "
                <a href="/privacy">{t(lang, "Come usiamo i tuoi dati", "How we use your data")}</a></p>
            <p class="notice" hidden=move || state.online.get()>{t(lang, "Sei offline: per entrare nel gruppo serve la connessione. Intanto il tuo lavoro resta su questo dispositivo.", "You are offline: joining the group needs a connection. Meanwhile your work stays on this device.")}</p>
            <fieldset class="choice-row">
                <legend>{t(lang, "È la prima volta?", "Is this your first time?")}</legend>
                {choice(("account-new", "account"), t(lang, "Sì, mi iscrivo", "Yes, sign me up"), new_account, true)}
                {choice(("account-old", "account"), t(lang, "No, ho già un profilo", "No, I already have a profile"), new_account, false)}
            </fieldset>
            <label for="join-code">{t(lang, "Codice del gruppo", "Group code")}</label>
            <input id="join-code" type="text" autocomplete="off" autocapitalize="characters" spellcheck="false"
                prop:value=move || code.get()
                on:input=move |ev| {
                    code.set(event_target_value(&ev));
                    // Another code may let other people join: ask again.
                    parents.set(None);
                    who.set(None);
                }/>
            <fieldset class="choice-row" hidden=move || !asks_who()>
                <legend>{t(lang, "Chi si iscrive?", "Who is joining?")}</legend>
                {choice(("who-learner", "who"), t(lang, "Sono un ragazzo o una ragazza", "I am a young person"), who, Some(Role::Learner))}
                {choice(("who-parent", "who"), t(lang, "Sono un genitore", "I am a parent"), who, Some(Role::Parent))}
            </fieldset>
            <fieldset class="choice-row" hidden=move || !asks_age()>
                <legend>{t(lang, "Quanti anni hai?", "How old are you?")}</legend>
                {choice(("age-under-14", "age"), t(lang, "Meno di 14", "Under 14"), age_band, Some(AgeBand::Under14))}
                {choice(("age-14-plus", "age"), t(lang, "14 o più", "14 or more"), age_band, Some(AgeBand::From14))}
            </fieldset>
            <div class="fields" hidden=move || new_account.get() && !joining()>
                {field("join-nickname", t(lang, "Soprannome", "Nickname"), t(lang, "Da 2 a 24 caratteri, niente nome e cognome.", "2 to 24 characters, not your full name."), nickname, "text", "nickname")}
                {field("join-secret", t(lang, "PIN", "PIN"), t(lang, "Almeno 6 caratteri, cifre o lettere.", "At least 6 characters, digits or letters."), secret, "password", "current-password")}
            </div>
            {forgot_pin(lang, new_account, recovery)}
            {move || error.get().map(|message| view! { <p class="notice notice-error" role="alert">{message}</p> })}
            <button class="button-primary" type="submit" aria-busy=move || busy.get().to_string()>
                {move || match (new_account.get(), joining(), recovering()) {
                    (true, false, _) => t(lang, "Avanti", "Next"),
                    (true, true, _) => t(lang, "Entra nel gruppo", "Join the group"),
                    (false, _, true) => t(lang, "Entra con il nuovo PIN", "Sign in with the new PIN"),
                    (false, _, false) => t(lang, "Accedi", "Sign in"),
                }}
            </button>
        </form>
    }
}

/// Whom to ask when the PIN is forgotten, the recovery code they give, and why not to start over
/// with a new profile: shown beside signing in (not while joining, `new_account`).
fn forgot_pin(
    lang: Lang,
    new_account: RwSignal<bool>,
    recovery: RwSignal<String>,
) -> impl IntoView {
    view! {
        <details class="forgot" hidden=move || new_account.get()>
            <summary>{t(lang, "Ho dimenticato il PIN", "I forgot my PIN")}</summary>
            <p>{t(lang, "Chiedi un codice di recupero all'educatore del tuo gruppo (o al genitore collegato con te). Scrivilo qui sotto, scrivi un PIN nuovo nel campo PIN e rientri con tutto il tuo lavoro.", "Ask your group's educator (or the parent linked with you) for a recovery code. Type it below, type a new PIN in the PIN field, and you are back in with all your work.")}</p>
            <label for="recovery-code">{t(lang, "Codice di recupero", "Recovery code")}</label>
            <input id="recovery-code" type="text" autocomplete="off" autocapitalize="characters" spellcheck="false"
                prop:value=move || recovery.get() on:input=move |ev| recovery.set(event_target_value(&ev))/>
            <p>{t(lang, "Non creare un profilo nuovo: i badge e il lavoro fatti finora andrebbero persi.", "Do not make a new profile: the badges and the work done so far would be lost.")}</p>
        </details>
    }
}

/// A radio button of the group `name`, with its label, 48 px tall, that sets `chosen` to `value`.
fn choice<T>(
    (id, name): (&'static str, &'static str),
    label: &'static str,
    chosen: RwSignal<T>,
    value: T,
) -> impl IntoView
where
    T: Copy + PartialEq + Send + Sync + 'static,
{
    view! {
        <div class="choice">
            <input type="radio" id=id name=name
                prop:checked=move || chosen.get() == value
                on:change=move |_| chosen.set(value)/>
            <label for=id>{label}</label>
        </div>
    }
}

/// What the person still has to fill in, named with the labels' own words.
pub(crate) fn to_complete(lang: Lang, missing: &[&str]) -> String {
    let list = missing
        .iter()
        .map(|label| format!("«{label}»"))
        .collect::<Vec<_>>()
        .join(", ");
    match lang {
        Lang::It => format!("Da completare: {list}."),
        Lang::En => format!("Still to fill in: {list}."),
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
    use super::{code_in_query, to_complete};
    use officina_core::Lang;

    #[test]
    fn what_is_missing_is_named_with_the_labels_words() {
        assert_eq!(
            to_complete(Lang::It, &["Quanti anni hai?", "PIN (almeno 6 caratteri)"]),
            "Da completare: «Quanti anni hai?», «PIN (almeno 6 caratteri)»."
        );
        assert_eq!(
            to_complete(Lang::En, &["Nickname (2 to 24 characters)"]),
            "Still to fill in: «Nickname (2 to 24 characters)»."
        );
    }

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
