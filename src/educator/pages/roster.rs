//! Who is in a cohort, correcting the role someone joined with (a parent who joined as a learner,
//! a learner's age band; the server refuses once something depends on the role), a recovery code
//! for a forgotten PIN, and removing someone who should not be there.

use crate::educator::api;
use crate::educator::state::{Loaded, Workspace, problem_view};
use crate::educator::widgets::{scroll_table, short_time};
use crate::i18n::t;
use leptos::prelude::*;
use officina_core::account::{AgeBand, OneTimeCode, Role};
use officina_core::staff::{CohortDetail, RosterMember};
use officina_core::{Audience, Lang};

/// The roles a member can be given, as the form's options: `(value, role, age band)`.
const CHOICES: [(&str, Role, Option<AgeBand>); 3] = [
    ("under_14", Role::Learner, Some(AgeBand::Under14)),
    ("14_plus", Role::Learner, Some(AgeBand::From14)),
    ("parent", Role::Parent, None),
];

#[component]
pub fn Roster(cohort: CohortDetail, detail: RwSignal<Loaded<CohortDetail>>) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let lang = ws.lang.get_untracked();
    let caption = t(lang, "Partecipanti", "Members");
    let path = cohort.summary.path_id.clone();
    // Parents only in a family cohort; known once the programme is here.
    let family = Signal::derive(move || {
        ws.content.with(|c| {
            c.as_ref()
                .and_then(|b| b.path(&path))
                .is_some_and(|p| p.audience == Audience::Family)
        })
    });
    let id = cohort.summary.id.clone();
    let rows = cohort
        .roster
        .into_iter()
        .map(|member| view! { <Row member cohort=id.clone() family detail/> })
        .collect_view();
    let columns = [
        t(lang, "Soprannome", "Nickname"),
        t(lang, "Ruolo", "Role"),
        t(lang, "Ultima sincronizzazione", "Last synced"),
        t(lang, "Correggi", "Fix"),
    ];
    scroll_table(caption, columns, rows)
}

#[component]
fn Row(
    member: RosterMember,
    cohort: String,
    family: Signal<bool>,
    detail: RwSignal<Loaded<CohortDetail>>,
) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let lang = ws.lang.get_untracked();
    let open = RwSignal::new(false);
    let synced = member
        .last_synced_at
        .as_deref()
        .map_or_else(|| t(lang, "mai", "never").to_owned(), short_time);
    let form_id = format!("role-form-{}", member.id);
    let label = t(lang, "Cambia ruolo", "Change role");
    view! {
        <tr>
            <th scope="row">{member.nickname.clone()}</th>
            <td>{role_name(member.role, member.age_band, lang)}</td>
            <td>{synced}</td>
            <td>
                <button type="button" class="button-secondary" aria-expanded=move || open.get().to_string()
                    aria-controls=form_id.clone() aria-label=format!("{label}: {}", member.nickname)
                    on:click=move |_| open.update(|o| *o = !*o)>{label}</button>
            </td>
        </tr>
        <Show when=move || open.get()>
            <tr id=form_id.clone()>
                <td colspan="4">
                    <RoleForm member=member.clone() cohort=cohort.clone() family detail/>
                    <RecoveryCode member=member.clone() cohort=cohort.clone()/>
                    <RemoveMember member=member.clone() cohort=cohort.clone() detail/>
                </td>
            </tr>
        </Show>
    }
}

#[component]
fn RoleForm(
    member: RosterMember,
    cohort: String,
    family: Signal<bool>,
    detail: RwSignal<Loaded<CohortDetail>>,
) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let lang = ws.lang.get_untracked();
    let current = choice_of(member.role, member.age_band);
    let chosen = RwSignal::new(current.to_owned());
    let problem = RwSignal::new(None::<String>);
    let (cohort, user) = (
        StoredValue::new(cohort),
        StoredValue::new(member.id.clone()),
    );
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some((_, role, band)) = CHOICES.iter().find(|(v, ..)| *v == chosen.get_untracked())
        else {
            return;
        };
        let (token, role, band) = (ws.token(), *role, *band);
        ws.act(
            problem,
            async move {
                api::set_role(&token, &cohort.get_value(), &user.get_value(), role, band).await?;
                api::cohort(&token, &cohort.get_value()).await
            },
            move |fresh| detail.set(Loaded::Ready(fresh)),
        );
    };
    let field = format!("role-{}", member.id);
    let options = move || {
        CHOICES
            .iter()
            .filter(|(_, role, _)| *role != Role::Parent || family.get())
            .map(|(value, role, band)| {
                view! { <option value=*value selected=*value == current>{role_name(*role, *band, lang)}</option> }
            })
            .collect_view()
    };
    view! {
        <form class="role-form" on:submit=save>
            <label for=field.clone()>{t(lang, "Nuovo ruolo di ", "New role for ")}{member.nickname.clone()}</label>
            <select id=field on:change=move |ev| chosen.set(event_target_value(&ev))>{options}</select>
            <p class="meta">{t(lang, "Si può cambiare finché la persona non ha compiti in famiglia confermati, collegamenti famiglia o badge rilasciati.", "It can be changed while the person has no confirmed family tasks, family links or badges issued.")}</p>
            {problem_view(problem)}
            <button class="button-primary" type="submit">{t(lang, "Salva il ruolo", "Save the role")}</button>
        </form>
    }
}

/// A one-time code for a member who forgot their PIN, to read out or write down: with it and a new
/// PIN they are back in with all their work.
#[component]
fn RecoveryCode(member: RosterMember, cohort: String) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let lang = ws.lang.get_untracked();
    let issued = RwSignal::new(None::<OneTimeCode>);
    let problem = RwSignal::new(None::<String>);
    let (cohort, user) = (StoredValue::new(cohort), StoredValue::new(member.id));
    let issue = move |_| {
        let token = ws.token();
        ws.act(
            problem,
            async move { api::recovery_code(&token, &cohort.get_value(), &user.get_value()).await },
            move |code| issued.set(Some(code)),
        );
    };
    let shown = move || {
        issued.get().map(|code| {
            let until = short_time(&code.expires_at);
            view! {
                <p class="join-code" role="status">{code.code}</p>
                <p class="meta">{match lang {
                    Lang::It => format!("Vale una volta, fino al {until} (UTC). Con il codice e un PIN nuovo rientra con tutto il suo lavoro; gli altri dispositivi escono."),
                    Lang::En => format!("Works once, until {until} (UTC). With the code and a new PIN they are back in with all their work; their other devices are signed out."),
                }}</p>
            }
        })
    };
    view! {
        <div class="recovery">
            <button type="button" class="button-secondary" on:click=issue>
                {t(lang, "Codice di recupero per ", "Recovery code for ")}{member.nickname}
            </button>
            {shown}
            {problem_view(problem)}
        </div>
    }
}

/// Removing someone who joined with a code passed around: asked twice, since they can no longer
/// sign in afterwards; their events stay in the reports.
#[component]
fn RemoveMember(
    member: RosterMember,
    cohort: String,
    detail: RwSignal<Loaded<CohortDetail>>,
) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let lang = ws.lang.get_untracked();
    let asked = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let (cohort, user) = (
        StoredValue::new(cohort),
        StoredValue::new(member.id.clone()),
    );
    let remove = move |_| {
        if !asked.get_untracked() {
            asked.set(true);
            return;
        }
        let token = ws.token();
        ws.act(
            problem,
            async move {
                api::remove_member(&token, &cohort.get_value(), &user.get_value()).await?;
                api::cohort(&token, &cohort.get_value()).await
            },
            move |fresh| detail.set(Loaded::Ready(fresh)),
        );
    };
    let nickname = member.nickname;
    view! {
        <div class="remove-member">
            <p class="meta">{t(lang, "Chi non dovrebbe essere nel gruppo (un codice passato ad altri) si può togliere: non potrà più entrare, e le sue attività restano nei resoconti.", "Someone who should not be in the group (a code passed around) can be removed: they can no longer sign in, and their activities stay in the reports.")}</p>
            {problem_view(problem)}
            <button type="button" class="button-secondary" on:click=remove>
                {move || if asked.get() { t(lang, "Sì, rimuovi ", "Yes, remove ") } else { t(lang, "Rimuovi dal gruppo ", "Remove from the group ") }}
                {nickname.clone()}
            </button>
        </div>
    }
}

/// The option that stands for a member's role and band now (a learner without a band is taken as
/// under 14, as the server does).
fn choice_of(role: Role, band: Option<AgeBand>) -> &'static str {
    CHOICES
        .iter()
        .find(|(_, r, b)| *r == role && (*b == band || b.is_none()))
        .map_or("under_14", |(value, ..)| *value)
}

/// "ragazzo/a, sotto i 14 anni", "genitore".
pub fn role_name(role: Role, band: Option<AgeBand>, lang: Lang) -> &'static str {
    match (role, band) {
        (Role::Parent, _) => t(lang, "genitore", "parent"),
        (_, Some(AgeBand::From14)) => {
            t(lang, "ragazzo/a, 14 anni o più", "young person, 14 or over")
        }
        (_, Some(AgeBand::Under14)) => {
            t(lang, "ragazzo/a, sotto i 14 anni", "young person, under 14")
        }
        _ => t(lang, "ragazzo/a", "young person"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_starts_from_the_members_role_and_band() {
        assert_eq!(choice_of(Role::Parent, None), "parent");
        assert_eq!(choice_of(Role::Learner, Some(AgeBand::From14)), "14_plus");
        assert_eq!(choice_of(Role::Learner, Some(AgeBand::Under14)), "under_14");
        assert_eq!(choice_of(Role::Learner, None), "under_14");
        assert_eq!(role_name(Role::Parent, None, Lang::It), "genitore");
        assert_eq!(
            role_name(Role::Learner, Some(AgeBand::From14), Lang::En),
            "young person, 14 or over"
        );
    }
}
