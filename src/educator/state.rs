//! The workspace's shared state, provided as context, and the way its screens load data and run
//! actions against the API.

use crate::api::ApiError;
use crate::i18n::{self, t};
use leptos::prelude::*;
use leptos::task::spawn_local;
use officina_core::account::{Role, Session};
use officina_core::{Bundle, Lang};
use std::future::Future;

#[derive(Clone, Copy)]
pub struct Workspace {
    pub lang: RwSignal<Lang>,
    pub session: RwSignal<Option<Session>>,
    /// The workspace reads everything from the server: without a network it can only say so.
    pub online: RwSignal<bool>,
    /// The programme: the paths a cohort follows, the challenges' titles, the badges to award.
    pub content: RwSignal<Option<Bundle>>,
}

/// Something a screen fetches.
#[derive(Debug, Clone, PartialEq)]
pub enum Loaded<T> {
    Loading,
    Ready(T),
    Failed(String),
}

impl Workspace {
    pub fn from_storage() -> Self {
        Self {
            lang: RwSignal::new(i18n::stored_lang()),
            session: RwSignal::new(super::session::load()),
            online: RwSignal::new(window().navigator().on_line()),
            content: RwSignal::new(None),
        }
    }

    /// The bearer token; empty when signed out (the server then answers 401).
    pub fn token(self) -> String {
        self.session
            .with_untracked(|s| s.as_ref().map(|s| s.token.clone()))
            .unwrap_or_default()
    }

    pub fn is_admin(self) -> bool {
        self.session
            .with_untracked(|s| s.as_ref().is_some_and(|s| s.user.role == Role::Admin))
    }

    pub fn set_session(self, session: Option<Session>) {
        super::session::save(session.as_ref());
        self.session.set(session);
    }

    pub fn set_lang(self, lang: Lang) {
        i18n::store_lang(lang);
        i18n::set_document_lang(lang);
        self.lang.set(lang);
    }

    /// A path's title in `lang` (its id until the programme is here).
    pub fn path_title(self, id: &str, lang: Lang) -> String {
        self.content
            .with(|c| {
                let path = c.as_ref()?.paths.iter().find(|p| p.id == id)?;
                Some(path.title.get(lang).to_owned())
            })
            .unwrap_or_else(|| id.to_owned())
    }

    /// An activity's title in `lang` (its id until the programme is here).
    pub fn activity_title(self, id: &str, lang: Lang) -> String {
        self.content
            .with(|c| {
                Some(
                    c.as_ref()?
                        .activity(id)?
                        .activity
                        .title
                        .get(lang)
                        .to_owned(),
                )
            })
            .unwrap_or_else(|| id.to_owned())
    }

    /// What to tell the person about a failed call; a refused token signs them out.
    pub fn explain(self, err: ApiError) -> String {
        let lang = self.lang.get_untracked();
        match err {
            ApiError::Network(_) => t(
                lang,
                "Il server non è raggiungibile: lo spazio educatori funziona solo in linea. Riprova quando torna la connessione.",
                "The server cannot be reached: the educators' workspace works only online. Try again when the connection is back.",
            )
            .to_owned(),
            err if err.is_unauthorized() => {
                self.set_session(None);
                t(lang, "La sessione è scaduta: accedi di nuovo.", "Your session has ended: sign in again.").to_owned()
            }
            // "Troppi tentativi: riprova tra N minuti", as the learner's app says it.
            err @ ApiError::Limited { .. } => crate::explain::explain(lang, &err),
            err => err.to_string(),
        }
    }

    /// Fetches into `target`, which says loading until the answer comes.
    pub fn load<T: Send + Sync + 'static>(
        self,
        target: RwSignal<Loaded<T>>,
        call: impl Future<Output = Result<T, ApiError>> + 'static,
    ) {
        target.set(Loaded::Loading);
        spawn_local(async move {
            target.set(match call.await {
                Ok(value) => Loaded::Ready(value),
                Err(err) => Loaded::Failed(self.explain(err)),
            });
        });
    }

    /// A new signal that says loading until `call`, made with the staff member's token, answers.
    pub fn fetch<T, F>(self, call: impl FnOnce(String) -> F) -> RwSignal<Loaded<T>>
    where
        T: Send + Sync + 'static,
        F: Future<Output = Result<T, ApiError>> + 'static,
    {
        let target = RwSignal::new(Loaded::Loading);
        self.load(target, call(self.token()));
        target
    }

    /// Runs an action; its failure is told in `problem`, its success handed to `done`.
    pub fn act<T: 'static>(
        self,
        problem: RwSignal<Option<String>>,
        call: impl Future<Output = Result<T, ApiError>> + 'static,
        done: impl FnOnce(T) + 'static,
    ) {
        problem.set(None);
        spawn_local(async move {
            match call.await {
                Ok(value) => done(value),
                Err(err) => problem.set(Some(self.explain(err))),
            }
        });
    }
}

/// Shows what `data` holds: a loading line, the error, or what `render` makes of it.
pub fn show<T, V>(
    lang: Lang,
    data: impl Into<Signal<Loaded<T>>>,
    render: impl Fn(T) -> V + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let data = data.into();
    move || match data.get() {
        Loaded::Loading => {
            view! { <p role="status">{t(lang, "Caricamento…", "Loading…")}</p> }.into_any()
        }
        Loaded::Failed(message) => {
            view! { <p class="notice notice-error" role="alert">{message}</p> }.into_any()
        }
        Loaded::Ready(value) => render(value).into_any(),
    }
}

/// An action's error, when it has one.
pub fn problem_view(problem: RwSignal<Option<String>>) -> impl IntoView {
    move || {
        problem
            .get()
            .map(|p| view! { <p class="notice notice-error" role="alert">{p}</p> })
    }
}

/// Asks before something that cannot be undone.
pub fn confirmed(question: &str) -> bool {
    window().confirm_with_message(question).unwrap_or(false)
}
