//! A cohort's families and consent: the parent–child links an educator confirms ("I met this
//! parent") or removes, and consent on paper for the learners under 14. A pending link gives the
//! parent nothing; for an under-14, a confirmed link or consent on paper lets badges leave Officina.

use super::CohortTabs;
use crate::api::ApiError;
use crate::educator::api;
use crate::educator::routes::Screen;
use crate::educator::state::{Loaded, Workspace, problem_view, show};
use crate::educator::widgets::{facts, scroll_table, short_time};
use crate::i18n::t;
use leptos::prelude::*;
use officina_core::Lang;
use officina_core::consent::{Consent, FamilyLink, FamilyLinks, LinkState, LinkedAccount};
use officina_core::staff::CohortDetail;
use std::future::Future;

/// What the page shows, read again together after every change.
#[derive(Clone, Copy)]
struct Families {
    ws: Workspace,
    cohort: StoredValue<String>,
    links: RwSignal<Loaded<FamilyLinks>>,
    detail: RwSignal<Loaded<CohortDetail>>,
    /// What the last change did, told to screen readers (the button pressed may be gone).
    done: RwSignal<String>,
}

impl Families {
    /// Runs `call` (given the token and the cohort), then reads the links and the roster again
    /// without blanking the page; `said` tells what was done.
    fn change<F>(
        self,
        problem: RwSignal<Option<String>>,
        call: impl FnOnce(String, String) -> F + 'static,
        said: String,
    ) where
        F: Future<Output = Result<(), ApiError>> + 'static,
    {
        let (token, cohort) = (self.ws.token(), self.cohort.get_value());
        self.done.set(String::new());
        let reread = async move {
            call(token.clone(), cohort.clone()).await?;
            let links = api::family_links(&token, &cohort).await?;
            Ok((links, api::cohort(&token, &cohort).await?))
        };
        self.ws.act(problem, reread, move |(links, detail)| {
            self.links.set(Loaded::Ready(links));
            self.detail.set(Loaded::Ready(detail));
            self.done.set(said);
        });
    }

    /// A learner's consent as the roster last said it.
    fn consent_of(self, user: &str) -> Option<Consent> {
        self.detail.with(|d| match d {
            Loaded::Ready(c) => c.roster.iter().find(|m| m.id == user)?.consent,
            _ => None,
        })
    }
}

#[component]
pub fn FamiliesPage(id: String) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let lang = ws.lang.get_untracked();
    let cohort = StoredValue::new(id.clone());
    let page = Families {
        ws,
        cohort,
        links: ws
            .fetch(|token| async move { api::family_links(&token, &cohort.get_value()).await }),
        detail: ws.fetch(|token| async move { api::cohort(&token, &cohort.get_value()).await }),
        done: RwSignal::new(String::new()),
    };
    view! {
        <CohortTabs id=id.clone() current=Screen::Families(id)/>
        <h1>{t(lang, "Famiglie e consenso", "Families and consent")}</h1>
        <p class="lead">{t(lang,
            "Quando un genitore si collega a suo figlio o a sua figlia, il collegamento aspetta la tua conferma. Conferma solo se hai incontrato il genitore: da quel momento vede le attività di famiglia e le foto del ragazzo. Per chi ha meno di 14 anni la conferma è anche il consenso perché i badge escano da Officina (vale anche il consenso su carta). Se il collegamento viene tolto, il consenso non vale più.",
            "When a parent links to their child, the link waits for your confirmation. Confirm only if you have met the parent: from then on they see the child's family activities and photos. For a learner under 14 the confirmation is also the consent for badges to leave Officina (consent on paper counts too). If the link is removed, the consent no longer holds.")}</p>
        <p role="status" class="meta">{move || page.done.get()}</p>
        <section aria-labelledby="links-title">
            <h2 id="links-title">{t(lang, "Collegamenti tra genitori e figli", "Links between parents and children")}</h2>
            {show(lang, page.links, move |links| link_lists(page, links, lang))}
        </section>
        <section aria-labelledby="consent-title">
            <h2 id="consent-title">{t(lang, "Ragazzi sotto i 14 anni", "Learners under 14")}</h2>
            {show(lang, under_14(page.detail), move |learners| consent_table(page, learners, lang))}
        </section>
    }
}

/// The links to confirm first, then the confirmed ones.
fn link_lists(page: Families, all: FamilyLinks, lang: Lang) -> impl IntoView {
    let (pending, confirmed): (Vec<_>, Vec<_>) = all
        .links
        .into_iter()
        .partition(|l| l.state == LinkState::Pending);
    view! {
        <h3>{t(lang, "Da confermare", "To confirm")}</h3>
        {link_list(page, pending, t(lang, "Nessun collegamento da confermare.", "No links to confirm."))}
        <h3>{t(lang, "Confermati", "Confirmed")}</h3>
        {link_list(page, confirmed, t(lang, "Nessun collegamento confermato.", "No confirmed links."))}
    }
}

fn link_list(page: Families, links: Vec<FamilyLink>, empty: &'static str) -> AnyView {
    if links.is_empty() {
        return view! { <p class="notice">{empty}</p> }.into_any();
    }
    let items = links
        .into_iter()
        .map(|link| view! { <li><LinkCard link page/></li> })
        .collect_view();
    view! { <ul class="family-links" role="list">{items}</ul> }.into_any()
}

/// Both accounts, their cohorts and when they were made, so a learner's own second account (same
/// cohort, made minutes apart) stands out.
#[component]
fn LinkCard(link: FamilyLink, page: Families) -> impl IntoView {
    let lang = page.ws.lang.get_untracked();
    let pending = link.state == LinkState::Pending;
    let confirmed_at = link.confirmed_at.as_deref().map(|at| {
        view! { <dt>{t(lang, "Confermato il", "Confirmed on")}</dt><dd>{short_time(at)}</dd> }
    });
    view! {
        <article class="card-plain family-link">
            <h4>{pair(&link, lang)}</h4>
            <dl>
                <dt>{t(lang, "Genitore", "Parent")}</dt><dd>{account(&link.parent, lang)}</dd>
                <dt>{t(lang, "Figlio o figlia", "Child")}</dt><dd>{account(&link.child, lang)}</dd>
                <dt>{t(lang, "Collegati il", "Linked on")}</dt><dd>{short_time(&link.created_at)}</dd>
                {confirmed_at}
            </dl>
            {pending.then(|| view! { <Decision link page/> })}
        </article>
    }
}

/// "Rosa e Astro": the parent's nickname, then the child's.
fn pair(link: &FamilyLink, lang: Lang) -> String {
    let and = t(lang, "e", "and");
    format!("{} {and} {}", link.parent.nickname, link.child.nickname)
}

/// "Rosa · gruppo Famiglie 2ª B · account creato il 2026-11-25 10:30".
fn account(who: &LinkedAccount, lang: Lang) -> String {
    let cohort = format!("{} {}", t(lang, "gruppo", "cohort"), who.cohort_name);
    let made = format!(
        "{} {}",
        t(lang, "account creato il", "account made on"),
        short_time(&who.created_at)
    );
    facts(&[&who.nickname, &cohort, &made])
}

/// What an educator does with a pending link.
#[derive(Clone, Copy)]
enum Verdict {
    Confirm,
    Remove,
}

/// Confirming a pending link, or removing it (asked twice: the parent must link again with a new
/// code). Each button's name says which link.
#[component]
fn Decision(link: FamilyLink, page: Families) -> impl IntoView {
    let lang = page.ws.lang.get_untracked();
    let problem = RwSignal::new(None::<String>);
    let asked = RwSignal::new(false);
    let (id, pair) = (
        StoredValue::new(link.id.clone()),
        StoredValue::new(pair(&link, lang)),
    );
    let decide = move |verdict: Verdict| {
        let done = match verdict {
            Verdict::Confirm => t(lang, "Collegamento confermato:", "Link confirmed:"),
            Verdict::Remove => t(lang, "Collegamento tolto:", "Link removed:"),
        };
        let call = move |token: String, cohort: String| async move {
            let link = id.get_value();
            match verdict {
                Verdict::Confirm => api::confirm_link(&token, &cohort, &link).await,
                Verdict::Remove => api::remove_link(&token, &cohort, &link).await,
            }
        };
        page.change(problem, call, format!("{done} {}.", pair.get_value()));
    };
    let remove = move |_| {
        if asked.get_untracked() {
            decide(Verdict::Remove);
        } else {
            asked.set(true);
        }
    };
    let confirm_label = t(
        lang,
        "Confermo: ho incontrato questo genitore",
        "I confirm: I met this parent",
    );
    let remove_label = move || {
        if asked.get() {
            t(lang, "Sì, togli il collegamento", "Yes, remove the link")
        } else {
            t(lang, "Non confermo", "I do not confirm")
        }
    };
    // The names start with the visible text, as speech control needs.
    let named = move |label: &str| format!("{label} ({})", pair.get_value());
    view! {
        <Show when=move || asked.get()>
            <p class="meta">{t(lang, "Il collegamento sarà tolto: il genitore non vedrà nulla del ragazzo. Potranno collegarsi di nuovo con un nuovo codice.", "The link will be removed: the parent will see nothing of the child's. They can link again with a new code.")}</p>
        </Show>
        {problem_view(problem)}
        <div class="actions">
            <button type="button" class="button-primary" aria-label=named(confirm_label) on:click=move |_| decide(Verdict::Confirm)>{confirm_label}</button>
            <button type="button" class="button-secondary" aria-label=move || named(remove_label()) on:click=remove>{remove_label}</button>
        </div>
    }
}

/// A learner under 14 of the roster (only they carry consent): id and nickname. The consent itself
/// is read by each row, so ticking a box does not rebuild the table (the focus stays on the box).
type Learner = (String, String);

fn under_14(detail: RwSignal<Loaded<CohortDetail>>) -> Memo<Loaded<Vec<Learner>>> {
    Memo::new(move |_| match detail.get() {
        Loaded::Ready(cohort) => Loaded::Ready(
            cohort
                .roster
                .into_iter()
                .filter(|m| m.consent.is_some())
                .map(|m| (m.id, m.nickname))
                .collect(),
        ),
        Loaded::Loading => Loaded::Loading,
        Loaded::Failed(message) => Loaded::Failed(message),
    })
}

fn consent_table(page: Families, learners: Vec<Learner>, lang: Lang) -> AnyView {
    if learners.is_empty() {
        let none = t(
            lang,
            "Nel gruppo non ci sono ragazzi sotto i 14 anni.",
            "The cohort has no learners under 14.",
        );
        return view! { <p class="notice">{none}</p> }.into_any();
    }
    let caption = t(
        lang,
        "Consenso dei ragazzi sotto i 14 anni",
        "Consent of the learners under 14",
    );
    let rows = learners
        .into_iter()
        .map(|learner| view! { <ConsentRow learner page/> })
        .collect_view();
    let columns = [
        t(lang, "Soprannome", "Nickname"),
        t(lang, "Consenso", "Consent"),
        t(lang, "Su carta", "On paper"),
    ];
    scroll_table(caption, columns, rows).into_any()
}

#[component]
fn ConsentRow(learner: Learner, page: Families) -> impl IntoView {
    let lang = page.ws.lang.get_untracked();
    let (user, nickname) = learner;
    let problem = RwSignal::new(None::<String>);
    let (box_id, name_id) = (format!("paper-{user}"), format!("learner-{user}"));
    let label_id = format!("{box_id}-label");
    let user = StoredValue::new(user);
    let consent = move || page.consent_of(&user.get_value()).unwrap_or_default();
    let who = StoredValue::new(nickname.clone());
    let toggle = move |ev: leptos::ev::Event| {
        let paper = event_target_checked(&ev);
        let done = if paper {
            t(
                lang,
                "Consenso su carta registrato:",
                "Consent on paper recorded:",
            )
        } else {
            t(
                lang,
                "Consenso su carta tolto:",
                "Consent on paper taken back:",
            )
        };
        let call = move |token: String, cohort: String| async move {
            let set = api::set_paper_consent(&token, &cohort, &user.get_value(), paper).await;
            // Not recorded: the box goes back to what the server holds.
            set.inspect_err(|_| page.detail.notify())
        };
        page.change(problem, call, format!("{done} {}.", who.get_value()));
    };
    view! {
        <tr>
            <th scope="row" id=name_id.clone()>{nickname}</th>
            <td>{move || consent_state(consent(), lang)}</td>
            <td>
                <div class="choice">
                    <input type="checkbox" id=box_id.clone() aria-labelledby=format!("{label_id} {name_id}")
                        prop:checked=move || consent().paper on:change=toggle/>
                    <label for=box_id id=label_id>{t(lang, "Consenso su carta ricevuto", "Consent on paper received")}</label>
                </div>
                {problem_view(problem)}
            </td>
        </tr>
    }
}

/// Where a learner's consent stands.
fn consent_state(consent: Consent, lang: Lang) -> &'static str {
    match (consent.family, consent.paper) {
        (true, true) => t(
            lang,
            "consenso del genitore confermato e consenso su carta",
            "parent's consent confirmed and consent on paper",
        ),
        (true, false) => t(
            lang,
            "consenso del genitore confermato",
            "parent's consent confirmed",
        ),
        (false, true) => t(lang, "consenso su carta", "consent on paper"),
        (false, false) => t(
            lang,
            "manca il consenso: i badge restano in Officina",
            "no consent yet: badges stay in Officina",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consent_says_which_kind_holds_and_what_is_missing() {
        let state = |family, paper| consent_state(Consent { paper, family }, Lang::It);
        assert_eq!(state(true, false), "consenso del genitore confermato");
        assert_eq!(state(false, true), "consenso su carta");
        assert_eq!(
            state(false, false),
            "manca il consenso: i badge restano in Officina"
        );
        assert!(state(true, true).contains("su carta"));
    }

    #[test]
    fn a_link_is_named_by_both_nicknames_and_each_account_by_its_cohort_and_age() {
        let side = |nickname: &str, cohort: &str| LinkedAccount {
            id: nickname.into(),
            nickname: nickname.into(),
            cohort_id: cohort.into(),
            cohort_name: cohort.into(),
            created_at: "2026-11-25T10:30:12.345Z".into(),
        };
        let link = FamilyLink {
            id: "l".into(),
            state: LinkState::Pending,
            created_at: "2026-11-25T10:41:00Z".into(),
            confirmed_at: None,
            parent: side("Rosa", "Famiglie 2ª B"),
            child: side("Astro", "Famiglie 2ª B"),
        };
        assert_eq!(pair(&link, Lang::It), "Rosa e Astro");
        assert_eq!(pair(&link, Lang::En), "Rosa and Astro");
        assert_eq!(
            account(&link.parent, Lang::It),
            "Rosa · gruppo Famiglie 2ª B · account creato il 2026-11-25 10:30"
        );
    }
}
