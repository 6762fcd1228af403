//! The profile switcher: who is using this device, and a way to hand it to someone else.

use crate::i18n::t;
use crate::pages::account::to_complete;
use crate::profiles::{self, AVATARS, Profiles};
use crate::state::AppState;
use leptos::prelude::*;
use leptos::task::spawn_local;
use officina_core::account::{NICKNAME_CHARS, secret_length_ok};

#[component]
pub fn ProfilesSection() -> impl IntoView {
    let lang = expect_context::<AppState>().lang.get_untracked();
    let all = RwSignal::new(profiles::load());
    let active = move || all.with(|p: &Profiles| p.active.clone());
    let current = move || {
        all.with(|p| {
            p.list
                .iter()
                .find(|x| Some(&x.id) == p.active.as_ref())
                .map(|x| format!("{} {}", x.avatar, x.name))
        })
    };
    let others = move || {
        all.with(|p| {
            p.list
                .iter()
                .filter(|x| Some(&x.id) != p.active.as_ref())
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let chosen = RwSignal::new(None::<String>);
    let pin = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<&'static str>);
    let switch = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(id), typed) = (chosen.get_untracked(), pin.get_untracked()) else {
            return;
        };
        spawn_local(async move {
            if !profiles::switch_to(&id, &typed).await {
                problem.set(Some(t(lang, "PIN sbagliato.", "Wrong PIN.")));
            }
        });
    };
    let name = RwSignal::new(String::new());
    let avatar = RwSignal::new(AVATARS[0].to_owned());
    let new_pin = RwSignal::new(String::new());
    let missing = RwSignal::new(None::<String>);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut labels = Vec::new();
        if !NICKNAME_CHARS.contains(&name.with(|n| n.trim().chars().count())) {
            labels.push(t(
                lang,
                "Nome (da 2 a 24 caratteri)",
                "Name (2 to 24 characters)",
            ));
        }
        // New PINs follow the group's rule; older, shorter ones still unlock their profile.
        if !new_pin.with(|p| secret_length_ok(p)) {
            labels.push(t(
                lang,
                "PIN del nuovo profilo (almeno 6 caratteri)",
                "The new profile's PIN (at least 6 characters)",
            ));
        }
        missing.set((!labels.is_empty()).then(|| to_complete(lang, &labels)));
        if !labels.is_empty() {
            return;
        }
        let (n, a, p) = (
            name.get_untracked(),
            avatar.get_untracked(),
            new_pin.get_untracked(),
        );
        spawn_local(async move {
            if profiles::add(&n, &a, &p).await.is_some() {
                all.set(profiles::load());
                name.set(String::new());
                new_pin.set(String::new());
            }
        });
    };
    let avatar_choices = AVATARS
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let id = format!("avatar-{i}");
            view! {
                <div class="choice avatar-choice">
                    <input type="radio" name="avatar" id=id.clone() prop:checked=move || avatar.with(|x| x == a) on:change=move |_| avatar.set((*a).to_owned())/>
                    <label for=id>{*a}</label>
                </div>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="profiles-title">
            <h2 id="profiles-title">{t(lang, "Profili su questo dispositivo", "Profiles on this device")}</h2>
            {move || current().map(|c| view! { <p class="active-profile">{t(lang, "Ora lo usa: ", "Now using it: ")}<strong>{c}</strong></p> })}
            <ul class="profiles" role="list">
                {move || others().into_iter().map(|p| {
                    let id = p.id.clone();
                    view! { <li><button class="button-secondary" on:click=move |_| { chosen.set(Some(id.clone())); problem.set(None); }>
                        {format!("{} {}", p.avatar, p.name)}
                    </button></li> }
                }).collect_view()}
            </ul>
            <Show when=move || chosen.with(Option::is_some)>
                <form class="switch-profile" on:submit=switch>
                    <label for="switch-pin">{t(lang, "PIN del profilo", "The profile's PIN")}</label>
                    <input id="switch-pin" type="password" autocomplete="off"
                        prop:value=move || pin.get() on:input=move |ev| pin.set(event_target_value(&ev))/>
                    <button class="button-primary" type="submit">{t(lang, "Cambia profilo", "Switch profile")}</button>
                    {move || problem.get().map(|p| view! { <p class="notice notice-error" role="alert">{p}</p> })}
                </form>
            </Show>
            <form class="add-profile" on:submit=add>
                <h3>{move || if active().is_none() {
                    t(lang, "Usate questo dispositivo in più persone? Crea prima il tuo profilo: il tuo lavoro resta tuo.", "Do several people use this device? First make your own profile: your work stays yours.")
                } else {
                    t(lang, "Aggiungi un profilo", "Add a profile")
                }}</h3>
                <label for="profile-name">{t(lang, "Nome", "Name")}</label>
                <input id="profile-name" type="text" maxlength="24" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                <fieldset class="choice-row avatars"><legend>{t(lang, "Immagine", "Picture")}</legend>{avatar_choices}</fieldset>
                <label for="profile-pin">{t(lang, "PIN del nuovo profilo", "The new profile's PIN")}</label>
                <p class="hint" id="profile-pin-hint">{t(lang, "Almeno 6 caratteri, cifre o lettere: la stessa regola del PIN del gruppo.", "At least 6 characters, digits or letters: the same rule as the group's PIN.")}</p>
                <input id="profile-pin" type="password" autocomplete="new-password" aria-describedby="profile-pin-hint"
                    prop:value=move || new_pin.get() on:input=move |ev| new_pin.set(event_target_value(&ev))/>
                {move || missing.get().map(|m| view! { <p class="notice notice-error" role="alert">{m}</p> })}
                <button class="button-secondary" type="submit">{t(lang, "Crea il profilo", "Make the profile")}</button>
            </form>
        </section>
    }
}
