//! The app's six screens and their URLs, with History API navigation: a click on a link inside
//! the app changes the screen without reloading the page. Written out here rather than taken from
//! a router crate because it is this small, and the first load cannot spare the ~20 KB one costs
//! (see BENCHMARKS.md). The educator workspace uses the same router with its own screens.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, MouseEvent};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Home,
    Path(String),
    Activity(String),
    Badges,
    Profile,
    Privacy,
    NotFound,
}

/// A set of screens the router can tell apart by their URL.
pub trait Screens: Clone + PartialEq + Send + Sync + 'static {
    fn parse(pathname: &str) -> Self;
}

impl Screens for Route {
    fn parse(pathname: &str) -> Self {
        let parts: Vec<&str> = pathname.split('/').filter(|p| !p.is_empty()).collect();
        match parts.as_slice() {
            [] => Self::Home,
            ["percorsi", id] => Self::Path((*id).to_owned()),
            ["attivita", id] => Self::Activity((*id).to_owned()),
            ["badge"] => Self::Badges,
            ["profilo"] => Self::Profile,
            ["privacy"] => Self::Privacy,
            _ => Self::NotFound,
        }
    }
}

/// The current screen, following the address bar; provided as context.
pub struct Router<R: Screens = Route> {
    pub route: RwSignal<R>,
}

impl<R: Screens> Clone for Router<R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<R: Screens> Copy for Router<R> {}

impl<R: Screens> Router<R> {
    /// Starts following the address bar and taking over clicks on the app's own links.
    pub fn start() -> Self {
        let route = RwSignal::new(R::parse(&current_pathname()));
        let router = Self { route };
        let on_back = window_event_listener(leptos::ev::popstate, move |_| {
            route.set(R::parse(&current_pathname()))
        });
        let on_click = window_event_listener(leptos::ev::click, move |event| {
            if let Some(path) = internal_link(&event) {
                event.prevent_default();
                router.go(&path);
            }
        });
        // Both live as long as the page.
        std::mem::forget((on_back, on_click));
        router
    }

    /// Opens the screen at `path` and records it in the history.
    pub fn go(self, path: &str) {
        let window = window();
        if let Ok(history) = window.history() {
            let _ = history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(path));
        }
        self.route.set(R::parse(path));
        window.scroll_to_with_x_and_y(0.0, 0.0);
    }
}

fn current_pathname() -> String {
    window().location().pathname().unwrap_or_default()
}

/// The path of an app link the click should open in place, or `None` to let the browser act
/// (modifier keys, other buttons, other windows, downloads, other sites).
fn internal_link(event: &MouseEvent) -> Option<String> {
    if event.default_prevented()
        || event.button() != 0
        || event.ctrl_key()
        || event.meta_key()
        || event.shift_key()
        || event.alt_key()
    {
        return None;
    }
    let anchor = event
        .target()?
        .dyn_into::<Element>()
        .ok()?
        .closest("a[href]")
        .ok()??;
    if anchor.has_attribute("target") || anchor.has_attribute("download") {
        return None;
    }
    let href = anchor.get_attribute("href")?;
    (href.starts_with('/') && !href.starts_with("//")).then_some(href)
}

#[cfg(test)]
mod tests {
    use super::{Route, Screens};

    #[test]
    fn urls_name_their_screens() {
        assert_eq!(Route::parse("/"), Route::Home);
        assert_eq!(
            Route::parse("/percorsi/space-camp"),
            Route::Path("space-camp".into())
        );
        assert_eq!(
            Route::parse("/attivita/spazio-quiz-iss/"),
            Route::Activity("spazio-quiz-iss".into())
        );
        assert_eq!(Route::parse("/badge"), Route::Badges);
        assert_eq!(Route::parse("/profilo"), Route::Profile);
        assert_eq!(Route::parse("/privacy"), Route::Privacy);
        assert_eq!(Route::parse("/percorsi"), Route::NotFound);
        assert_eq!(Route::parse("/nessuna/pagina/qui"), Route::NotFound);
    }
}
