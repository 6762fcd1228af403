//! "I tuoi dati" in the profile: taking all of one's data as a ZIP and erasing one's account, and
//! for a parent by a confirmed link, a child's. The privacy page says what is kept and why.

use crate::api::{self, Relative};
use crate::explain::explain;
use crate::files::save;
use crate::i18n::t;
use crate::state::AppState;
use leptos::prelude::*;
use leptos::task::spawn_local;
use officina_core::Lang;
use officina_core::account::Role;

#[component]
pub fn MyDataSection() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang.get_untracked();
    let children = RwSignal::new(Vec::<Relative>::new());
    let parent = state
        .session
        .with_untracked(|s| s.as_ref().is_some_and(|s| s.user.role == Role::Parent));
    if let (true, Some(token)) = (parent, state.token_untracked()) {
        spawn_local(async move {
            if let Ok(family) = api::family(&token).await {
                children.set(
                    family
                        .children
                        .into_iter()
                        .filter(|c| c.confirmed)
                        .collect(),
                );
            }
        });
    }
    let child_rights = move || {
        children
            .get()
            .into_iter()
            .map(|child| {
                let path = format!("/api/family/{}", child.id);
                view! { <DataRights path who=Some(child.nickname)/> }
            })
            .collect_view()
    };
    view! {
        <section aria-labelledby="data-title">
            <h2 id="data-title">{t(lang, "I tuoi dati", "Your data")}</h2>
            <p>{t(lang, "Puoi scaricare tutto quello che Officina conserva di te: un file ZIP con il tuo account, le attività, i badge e le foto.", "You can download everything Officina keeps about you: a ZIP file with your account, activities, badges and photos.")}" "
                <a href="/privacy">{t(lang, "Come usiamo i tuoi dati", "How we use your data")}</a></p>
            <DataRights path="/api/me".into() who=None/>
            {child_rights}
        </section>
    }
}

/// Download and erase for one account: the caller's (`who` is `None`) or a child's.
#[component]
fn DataRights(path: String, who: Option<String>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang.get_untracked();
    let message = RwSignal::new(None::<String>);
    let secret = RwSignal::new(String::new());
    let erased = RwSignal::new(false);
    let path = StoredValue::new(path);
    let mine = who.is_none();
    let download = move |_| {
        let Some(token) = state.token_untracked() else {
            return;
        };
        spawn_local(async move {
            let export = format!("{}/export", path.get_value());
            match api::export(&token, &export).await {
                Ok(zip) => {
                    save(&zip, "officina-dati.zip");
                }
                Err(err) => message.set(Some(explain(lang, &err))),
            }
        });
    };
    let erase = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(token) = state.token_untracked() else {
            return;
        };
        let typed = secret.get_untracked();
        spawn_local(async move {
            match api::erase(&token, &path.get_value(), &typed).await {
                Ok(()) if mine => state.erased(),
                Ok(()) => erased.set(true),
                Err(err) if err.code() == Some("bad_credentials") => {
                    message.set(Some(t(lang, "PIN sbagliato.", "Wrong PIN.").to_owned()))
                }
                Err(err) => message.set(Some(explain(lang, &err))),
            }
        });
    };
    let labels = StoredValue::new(labels(lang, who.as_deref()));
    let field = StoredValue::new(format!("erase-pin{}", path.get_value().replace('/', "-")));
    view! {
        <Show when=move || !erased.get() fallback=move || view! { <p role="status">{t(lang, "Account cancellato.", "Account erased.")}</p> }>
            <button type="button" class="button-secondary" on:click=download>{labels.with_value(|l| l.download.clone())}</button>
            <details class="erase">
                <summary>{labels.with_value(|l| l.ask.clone())}</summary>
                <p>{t(lang, "Cancellare l'account elimina per sempre attività, foto, badge (i loro indirizzi pubblici smettono di valere) e collegamenti famiglia, anche da questo dispositivo. Restano solo i conteggi senza nomi dei resoconti. Prima puoi scaricare i dati. Chi ha meno di 14 anni chiede al genitore collegato.", "Erasing the account deletes for good activities, photos, badges (their public addresses stop working) and family links, from this device too. Only the nameless counts of the reports stay. You can download the data first. Under 14, ask the linked parent.")}</p>
                <form on:submit=erase>
                    <label for=field.get_value()>{t(lang, "Il tuo PIN, per confermare", "Your PIN, to confirm")}</label>
                    <input id=field.get_value() type="password" autocomplete="current-password"
                        prop:value=move || secret.get() on:input=move |ev| secret.set(event_target_value(&ev))/>
                    <button class="button-secondary button-danger" type="submit">{labels.with_value(|l| l.erase.clone())}</button>
                </form>
            </details>
        </Show>
        {move || message.get().map(|m| view! { <p role="alert">{m}</p> })}
    }
}

/// The words of the download, of the question that opens the erasure, and of its last button.
struct Labels {
    download: String,
    ask: String,
    erase: String,
}

/// About oneself, or about a child by nickname.
fn labels(lang: Lang, who: Option<&str>) -> Labels {
    let own = |it: &'static str, en: &'static str| t(lang, it, en).to_owned();
    match (who, lang) {
        (None, _) => Labels {
            download: own("Scarica i miei dati", "Download my data"),
            ask: own("Cancella il mio account", "Erase my account"),
            erase: own(
                "Cancella per sempre il mio account",
                "Erase my account for good",
            ),
        },
        (Some(name), Lang::It) => Labels {
            download: format!("Scarica i dati di {name}"),
            ask: format!("Cancella l'account di {name}"),
            erase: format!("Cancella per sempre l'account di {name}"),
        },
        (Some(name), Lang::En) => Labels {
            download: format!("Download {name}'s data"),
            ask: format!("Erase {name}'s account"),
            erase: format!("Erase {name}'s account for good"),
        },
    }
}
