//! A family task: done by a parent and a child together, and confirmed by both.

use crate::i18n::t;
use crate::pages::challenge::item_list;
use crate::state::AppState;
use leptos::prelude::*;
use officina_core::FamilyTask;
use officina_core::account::Role;
use officina_core::payload::{Confirmation, FamilyRole, Payload};

#[component]
pub fn FamilyTaskSteps(activity_id: String, task: FamilyTask) -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang.get_untracked();
    let id = StoredValue::new(activity_id);
    // Which roles confirmed, indexed by role.
    let confirmed = Memo::new(move |_| {
        id.with_value(|id| {
            state.fold.with(|fold| {
                fold.family_tasks()
                    .find_map(|(task, sides)| (task == id).then_some(sides))
                    .unwrap_or_default()
            })
        })
    });
    // Each side's answer to the reflection question stays theirs: the other side never receives it.
    let reflection = RwSignal::new(String::new());
    let confirm = move |role: FamilyRole| {
        let text = reflection.get_untracked().trim().to_owned();
        let confirmation = Payload::Family(Confirmation {
            role,
            reflection: (!text.is_empty()).then_some(text),
        });
        // Refused only by a bug (the reflection's box holds less than the rules allow): logged.
        let _ = id.with_value(|id| state.record(id, &confirmation));
    };
    // Each person confirms from their own profile: a parent's account confirms as the parent,
    // anyone else as the young person.
    let my_role = if state
        .session
        .with_untracked(|s| s.as_ref().is_some_and(|s| s.user.role == Role::Parent))
    {
        FamilyRole::Parent
    } else {
        FamilyRole::Child
    };
    let label = match my_role {
        FamilyRole::Parent => t(
            lang,
            "Confermo: l'abbiamo fatto insieme (genitore)",
            "I confirm: we did it together (parent)",
        ),
        FamilyRole::Child => t(
            lang,
            "Confermo: l'abbiamo fatto insieme",
            "I confirm: we did it together",
        ),
    };
    // The waiting text names whose confirmation is missing: "yours" when it is this person's own.
    let status = move || {
        let done = |role: FamilyRole| confirmed.with(|c| c[role as usize]);
        let missing = [FamilyRole::Child, FamilyRole::Parent]
            .into_iter()
            .filter(|role| !done(*role))
            .collect::<Vec<_>>();
        match missing.as_slice() {
            [] => t(
                lang,
                "✓ Fatto insieme: confermato da entrambi.",
                "✓ Done together: confirmed by both.",
            ),
            [only] if *only == my_role => t(
                lang,
                "Manca la tua conferma: quando avete finito, conferma qui sotto.",
                "Your confirmation is missing: when you have finished, confirm below.",
            ),
            [FamilyRole::Parent] => t(
                lang,
                "In attesa della conferma del genitore.",
                "Waiting for the parent to confirm.",
            ),
            [FamilyRole::Child] => t(
                lang,
                "In attesa della conferma del ragazzo o della ragazza.",
                "Waiting for the young person to confirm.",
            ),
            _ => t(
                lang,
                "Quando avete finito, confermate entrambi, ognuno dal proprio profilo.",
                "When you have finished, both of you confirm, each from your own profile.",
            ),
        }
    };
    view! {
        {item_list(t(lang, "Sicurezza prima di tutto", "Safety first"), &task.safety, false, lang, "safety")}
        {item_list(t(lang, "Materiali", "Materials"), &task.materials, false, lang, "materials")}
        {item_list(t(lang, "Passi", "Steps"), &task.steps, true, lang, "steps")}
        <p class="family-status" role="status">{status}</p>
        <Show when=move || !confirmed.with(|c| c[my_role as usize])>
            {task.reflection.clone().map(|question| view! {
                <div class="reflection">
                    <label for="family-reflection">{question.get(lang).to_owned()}" "{t(lang, "(facoltativo, resta solo a te)", "(optional, it stays yours)")}</label>
                    <textarea id="family-reflection" rows="3" maxlength="1000"
                        prop:value=move || reflection.get() on:input=move |ev| reflection.set(event_target_value(&ev))></textarea>
                </div>
            })}
            <div class="actions">
                <button class="button-primary" on:click=move |_| confirm(my_role)>{label}</button>
            </div>
        </Show>
    }
}
