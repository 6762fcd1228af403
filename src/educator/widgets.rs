//! Pieces the workspace's screens share: the server's tables, CSV downloads, images that need the
//! token.

use super::api;
use super::state::{Workspace, problem_view};
use crate::i18n::t;
use leptos::prelude::*;
use officina_core::staff::CohortSummary;
use officina_core::table::Table;

/// A table exactly as the server laid it out (so the screen and the CSV say the same).
#[component]
pub fn DataTable(caption: String, table: Table) -> impl IntoView {
    let lang = expect_context::<Workspace>().lang.get_untracked();
    let empty = table.rows.is_empty();
    let rows = table
        .rows
        .into_iter()
        .map(|row| view! { <tr>{row.into_iter().enumerate().map(cell).collect_view()}</tr> })
        .collect_view();
    view! {
        {scroll_table(caption, table.columns, rows)}
        {empty.then(|| view! { <p class="meta">{t(lang, "Ancora nessun dato.", "No data yet.")}</p> })}
    }
}

/// A table with its caption and column headers, in a region that scrolls sideways on a narrow
/// screen and can be reached with the keyboard to do so.
pub fn scroll_table(
    caption: impl Into<String>,
    columns: impl IntoIterator<Item: Into<String>>,
    rows: impl IntoView + 'static,
) -> impl IntoView {
    let caption = caption.into();
    let region = caption.clone();
    let header = columns
        .into_iter()
        .map(|c| view! { <th scope="col">{c.into()}</th> })
        .collect_view();
    view! {
        <div class="table-scroll" role="region" aria-label=region tabindex="0">
            <table>
                <caption>{caption}</caption>
                <thead><tr>{header}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// A cohort's dates, `2026-11-02 – 2026-12-18`; empty for a cohort made without them.
pub fn period(cohort: &CohortSummary) -> String {
    match (&cohort.starts_on, &cohort.ends_on) {
        (Some(start), Some(end)) => format!("{start} – {end}"),
        _ => String::new(),
    }
}

/// One line of facts, `a · b · c`, leaving out the empty ones (cohorts made from the command line
/// have no audience or dates).
pub fn facts(parts: &[&str]) -> String {
    let present: Vec<&str> = parts.iter().copied().filter(|p| !p.is_empty()).collect();
    present.join(" · ")
}

/// An RFC 3339 time as people read it: `2026-11-25 10:30` (UTC, as the server keeps it).
pub fn short_time(at: &str) -> String {
    at.get(..16).unwrap_or(at).replace('T', " ")
}

/// The first cell of a row names it.
fn cell((index, text): (usize, String)) -> AnyView {
    if index == 0 {
        view! { <th scope="row">{text}</th> }.into_any()
    } else {
        view! { <td>{text}</td> }.into_any()
    }
}

/// Downloads the CSV at `path` (it needs the token, so it is fetched, then saved as `file`).
/// `what` completes the button's name for screen readers when a page has several.
#[component]
pub fn CsvButton(path: String, file: String, what: String) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let lang = ws.lang.get_untracked();
    let problem = RwSignal::new(None::<String>);
    let (path, file) = (StoredValue::new(path), StoredValue::new(file));
    let download = move |_| {
        let token = ws.token();
        ws.act(
            problem,
            async move { api::file(&token, &path.get_value()).await },
            move |blob| {
                crate::files::save(&blob, &file.get_value());
            },
        );
    };
    let label = t(lang, "Scarica CSV", "Download CSV");
    // The name starts with the visible text, as speech control needs.
    view! {
        <button type="button" class="button-secondary no-print" aria-label=format!("{label}: {what}") on:click=download>
            {label}
        </button>
        {problem_view(problem)}
    }
}

/// An image the API serves only with the token: fetched, then shown from a blob URL.
#[component]
pub fn SecureImage(path: String, alt: String) -> impl IntoView {
    let ws = expect_context::<Workspace>();
    let src = RwSignal::new(None::<String>);
    let problem = RwSignal::new(None::<String>);
    let token = ws.token();
    ws.act(
        problem,
        async move { api::file(&token, &path).await },
        move |blob| src.set(web_sys::Url::create_object_url_with_blob(&blob).ok()),
    );
    on_cleanup(move || {
        if let Some(url) = src.get_untracked() {
            let _ = web_sys::Url::revoke_object_url(&url);
        }
    });
    view! {
        {move || src.get().map(|src| view! { <img src=src alt=alt.clone()/> })}
        {problem_view(problem)}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_leave_out_what_a_cohort_does_not_say() {
        assert_eq!(
            facts(&["Space Camp", "2ª B", "2026-11-02 – 2026-12-18"]),
            "Space Camp · 2ª B · 2026-11-02 – 2026-12-18"
        );
        assert_eq!(facts(&["Space Camp", "", ""]), "Space Camp");
        assert_eq!(
            facts(&["", "3 ragazzi", "codice aperto"]),
            "3 ragazzi · codice aperto"
        );
    }
}
