//! The family link in the profile: show a one-time code for the other person to type, or type
//! theirs; see who is linked.

use crate::api::{self, Family};
use crate::explain::explain;
use crate::i18n::t;
use crate::state::AppState;
use leptos::prelude::*;
use leptos::task::spawn_local;
use officina_core::Lang;
use wasm_bindgen::JsCast;

#[component]
pub fn FamilySection() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang.get_untracked();
    let family = RwSignal::new(None::<Family>);
    // The code on show, and what it is for.
    let shown_code = RwSignal::new(None::<(String, &'static str)>);
    let typed = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);
    let token = move || state.token_untracked();
    let refresh = move || {
        if let Some(token) = token() {
            spawn_local(async move {
                if let Ok(found) = api::family(&token).await {
                    family.set(Some(found));
                }
            });
        }
    };
    refresh();
    let new_code = move |path: String, label: &'static str| {
        let Some(token) = token() else { return };
        spawn_local(async move {
            match api::new_code(&token, &path).await {
                Ok(code) => shown_code.set(Some((code, label))),
                Err(err) => message.set(Some(explain(lang, &err))),
            }
        });
    };
    let family_code = t(lang, "Il tuo codice famiglia:", "Your family code:");
    let recovery_code = t(
        lang,
        "Codice di recupero (vale 24 ore, una volta):",
        "Recovery code (24 hours, once):",
    );
    let link = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(token), code) = (token(), typed.get_untracked()) else {
            return;
        };
        spawn_local(async move {
            match api::family_link(&token, code.trim()).await {
                Ok(linked) => {
                    family.set(Some(linked));
                    typed.set(String::new());
                    message.set(Some(t(lang, "Collegati!", "Linked!").to_owned()));
                }
                Err(err) => message.set(Some(explain(lang, &err))),
            }
        });
    };
    let names = move || {
        family.with(|f| {
            f.as_ref()
                .map(|f| {
                    f.parents
                        .iter()
                        .chain(&f.children)
                        .map(|r| r.label(lang))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default()
        })
    };
    let unlink = move |other: String| {
        let Some(token) = token() else { return };
        spawn_local(async move {
            match api::family_unlink(&token, &other).await {
                Ok(()) => refresh(),
                Err(err) => message.set(Some(explain(lang, &err))),
            }
        });
    };
    // Each relative, and whether the caller may give them a recovery code: a child by a
    // confirmed link.
    let linked = move || {
        family.with(|f| {
            f.as_ref()
                .map(|f| {
                    let parents = f.parents.iter().map(|r| (r.clone(), false));
                    let children = f.children.iter().map(|r| (r.clone(), r.confirmed));
                    parents.chain(children).collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    view! {
        <section aria-labelledby="family-title">
            <h2 id="family-title">{t(lang, "Famiglia", "Family")}</h2>
            <p class="family-linked">{move || match (names(), lang) {
                (n, Lang::It) if n.is_empty() => "Nessun collegamento per ora.".to_owned(),
                (n, Lang::En) if n.is_empty() => "No links yet.".to_owned(),
                (n, Lang::It) => format!("Collegati con te: {n}."),
                (n, Lang::En) => format!("Linked with you: {n}."),
            }}</p>
            <ul class="profiles" role="list">
                {move || linked().into_iter().map(|(relative, recoverable)| {
                    let (label, recover) = match lang {
                        Lang::It => (format!("Scollega {}", relative.nickname), format!("Codice di recupero per {}", relative.nickname)),
                        Lang::En => (format!("Unlink {}", relative.nickname), format!("Recovery code for {}", relative.nickname)),
                    };
                    // A confirmed parent can help a child who forgot the PIN back in.
                    let child = recoverable.then(|| format!("/api/family/{}/recovery", relative.id));
                    view! { <li>
                        <button class="button-secondary" on:click=move |_| unlink(relative.id.clone())>{label}</button>
                        {child.map(|path| view! { <button class="button-secondary" on:click=move |_| new_code(path.clone(), recovery_code)>{recover}</button> })}
                    </li> }
                }).collect_view()}
            </ul>
            <p>{t(lang, "Il collegamento vale quando un educatore del gruppo lo conferma, dopo aver conosciuto il genitore: prima, il genitore non vede nulla del figlio o della figlia. Per chi ha meno di 14 anni, la conferma è il consenso del genitore perché i badge possano uscire da Officina; chi si scollega lo ritira.", "A link counts once an educator of the group confirms it, having met the parent: until then the parent sees nothing of the child. For someone under 14, the confirmation is the parent's consent for badges to leave Officina; unlinking withdraws it.")}</p>
            <p>{t(lang, "Per fare insieme le attività in famiglia, uno di voi mostra un codice e l'altro lo scrive nel suo profilo. Il codice vale 24 ore e si usa una volta.", "To do family tasks together, one of you shows a code and the other types it in their profile. The code lasts 24 hours and works once.")}</p>
            <button class="button-secondary" on:click=move |_| new_code("/api/family/code".into(), family_code)>{t(lang, "Mostra un codice famiglia", "Show a family code")}</button>
            {move || shown_code.get().map(|(code, label)| view! { <ShownCode code label/> })}
            <form class="family-link" on:submit=link>
                <label for="family-code-input">{t(lang, "Hai un codice famiglia? Scrivilo qui", "Got a family code? Type it here")}</label>
                <input id="family-code-input" type="text" autocomplete="off" maxlength="12"
                    prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev))/>
                <button class="button-primary" type="submit" disabled=move || typed.with(|c| c.trim().len() < 6)>
                    {t(lang, "Collegaci", "Link us")}
                </button>
            </form>
            {move || message.get().map(|m| view! { <p role="status">{m}</p> })}
        </section>
    }
}

/// A code as the other person reads it: large, in two groups, with a button to copy it.
#[component]
fn ShownCode(code: String, label: &'static str) -> impl IntoView {
    let lang = expect_context::<AppState>().lang.get_untracked();
    let copied = RwSignal::new(false);
    let copy = {
        let code = code.clone();
        move |_| {
            let Some(promise) = write_to_clipboard(&code) else {
                return;
            };
            spawn_local(async move {
                copied.set(wasm_bindgen_futures::JsFuture::from(promise).await.is_ok());
            });
        }
    };
    view! {
        <div class="family-code">
            <p>{label}" "<strong class="code-large">{spaced(&code)}</strong></p>
            <button class="button-secondary" on:click=copy>{t(lang, "Copia", "Copy")}</button>
            <p role="status">{move || copied.get().then(|| t(lang, "Copiato", "Copied"))}</p>
        </div>
    }
}

/// `navigator.clipboard.writeText(text)`, looked up at run time: web-sys's binding is behind a
/// feature that would rebuild it for one call.
fn write_to_clipboard(text: &str) -> Option<js_sys::Promise> {
    let clipboard = js_sys::Reflect::get(&window().navigator(), &"clipboard".into()).ok()?;
    let write: js_sys::Function = js_sys::Reflect::get(&clipboard, &"writeText".into())
        .ok()?
        .dyn_into()
        .ok()?;
    write.call1(&clipboard, &text.into()).ok()?.dyn_into().ok()
}

/// A code split in two halves, easier to read aloud and to type: "K7M2X9" → "K7M 2X9".
fn spaced(code: &str) -> String {
    let chars: Vec<char> = code.chars().collect();
    let (first, second) = chars.split_at(chars.len().div_ceil(2));
    match second.is_empty() {
        true => code.to_owned(),
        false => format!("{} {}", String::from_iter(first), String::from_iter(second)),
    }
}

#[cfg(test)]
mod tests {
    use super::spaced;

    #[test]
    fn codes_are_shown_in_two_halves() {
        assert_eq!(spaced("K7M2X9"), "K7M 2X9");
        assert_eq!(spaced("K7MQ2X9A"), "K7MQ 2X9A");
        assert_eq!(spaced("ABC"), "AB C");
        assert_eq!(spaced("A"), "A");
        assert_eq!(spaced(""), "");
    }
}
