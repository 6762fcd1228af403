//! For admins: the staff accounts, a new educator, a new password, disabling an educator (their
//! reviews stay in the log; they can no longer sign in).

use crate::educator::api;
use crate::educator::state::{Loaded, Workspace, confirmed, problem_view, show};
use crate::i18n::{count, t};
use leptos::prelude::*;
use officina_core::Lang;
use officina_core::account::{MIN_SECRET_CHARS, Role};
use officina_core::staff::StaffAccount;

#[component]
pub fn StaffPage() -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let lang = ws.lang.get_untracked();
    if !ws.is_admin() {
        return view! {
            <h1>{t(lang, "Educatori", "Educators")}</h1>
            <p class="notice">{t(lang, "Solo un amministratore gestisce gli account degli educatori.", "Only an administrator manages the educators' accounts.")}</p>
        }
        .into_any();
    }
    let staff = RwSignal::new(Loaded::Loading);
    let reload = move || {
        let token = ws.token();
        ws.load(staff, async move { api::staff(&token).await });
    };
    reload();
    let list = move |members: Vec<StaffAccount>| {
        view! { <ul class="cards" role="list">{members.into_iter().map(|m| view! { <li><MemberCard member=m reload/></li> }).collect_view()}</ul> }
    };
    view! {
        <h1>{t(lang, "Educatori", "Educators")}</h1>
        <NewEducator reload/>
        <h2>{t(lang, "Account", "Accounts")}</h2>
        {show(lang, staff, list)}
    }
    .into_any()
}

fn password_ok(password: &str) -> bool {
    password.chars().count() >= MIN_SECRET_CHARS
}

fn password_hint(lang: Lang) -> String {
    match lang {
        Lang::It => format!("La password deve avere almeno {MIN_SECRET_CHARS} caratteri."),
        Lang::En => format!("The password needs at least {MIN_SECRET_CHARS} characters."),
    }
}

#[component]
fn NewEducator(reload: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let lang = ws.lang.get_untracked();
    let name = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (n, p) = (
            name.get_untracked().trim().to_owned(),
            password.get_untracked(),
        );
        if n.is_empty() || !password_ok(&p) {
            return problem.set(Some(password_hint(lang)));
        }
        let token = ws.token();
        ws.act(
            problem,
            async move { api::create_educator(&token, &n, &p).await },
            move |()| {
                name.set(String::new());
                password.set(String::new());
                reload();
            },
        );
    };
    view! {
        <section aria-labelledby="new-educator-title">
            <h2 id="new-educator-title">{t(lang, "Nuovo educatore", "New educator")}</h2>
            <form on:submit=submit>
                <label for="new-educator-name">{t(lang, "Nome", "Name")}</label>
                <input id="new-educator-name" type="text" autocomplete="off" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                <label for="new-educator-password">{t(lang, "Password iniziale", "First password")}</label>
                <input id="new-educator-password" type="password" autocomplete="new-password" prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev))/>
                {problem_view(problem)}
                <button class="button-primary" type="submit">{t(lang, "Crea l'account", "Create the account")}</button>
            </form>
        </section>
    }
}

#[component]
fn MemberCard(
    member: StaffAccount,
    reload: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let lang = ws.lang.get_untracked();
    let password = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let changed = RwSignal::new(false);
    let id = StoredValue::new(member.id.clone());
    let reset = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let p = password.get_untracked();
        if !password_ok(&p) {
            return problem.set(Some(password_hint(lang)));
        }
        let token = ws.token();
        changed.set(false);
        ws.act(
            problem,
            async move { api::reset_password(&token, &id.get_value(), &p).await },
            move |()| {
                password.set(String::new());
                changed.set(true);
            },
        );
    };
    let name = StoredValue::new(member.name.clone());
    let disable = move |_| {
        let question = match lang {
            Lang::It => format!(
                "Disattivare l'account di {}? Non potrà più accedere; le sue revisioni restano.",
                name.get_value()
            ),
            Lang::En => format!(
                "Disable {}'s account? They can no longer sign in; their reviews stay.",
                name.get_value()
            ),
        };
        if !confirmed(&question) {
            return;
        }
        let token = ws.token();
        ws.act(
            problem,
            async move { api::disable_educator(&token, &id.get_value()).await },
            move |()| reload(),
        );
    };
    let role = match member.role {
        Role::Admin => t(lang, "amministratore", "administrator"),
        _ => t(lang, "educatore", "educator"),
    };
    let state = if member.disabled {
        t(lang, "disattivato", "disabled")
    } else {
        t(lang, "attivo", "active")
    };
    let cohorts = count(
        lang,
        member.cohorts.len(),
        ("gruppo", "gruppi"),
        ("cohort", "cohorts"),
    );
    let field = format!("password-{}", member.id);
    let manageable = !member.disabled && member.role == Role::Educator;
    view! {
        <article class="card-plain">
            <h3>{member.name.clone()}</h3>
            <p class="meta">{role}" · "{state}" · "{cohorts}</p>
            {manageable.then(|| view! {
                <form on:submit=reset>
                    <label for=field.clone()>{t(lang, "Nuova password", "New password")}</label>
                    <input id=field type="password" autocomplete="new-password" prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev))/>
                    <div class="actions">
                        <button class="button-secondary" type="submit">{t(lang, "Cambia la password", "Change the password")}</button>
                        <button class="button-secondary" type="button" on:click=disable>{t(lang, "Disattiva", "Disable")}</button>
                    </div>
                </form>
            })}
            <Show when=move || changed.get()>
                <p role="status">{t(lang, "Password cambiata.", "Password changed.")}</p>
            </Show>
            {problem_view(problem)}
        </article>
    }
}
