//! Markdown to sanitised HTML, so that the app ships no Markdown parser and shows no script.
//! Image references (`images/…`) become the server's versioned URLs; code blocks and tables
//! scroll sideways in their own box on a phone.

use super::tree::Tree;
use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};

pub struct Rendered {
    pub html: String,
    /// Image references that are not files in `content/images/`.
    pub missing_images: Vec<String>,
}

pub fn render(markdown: &str, tree: &Tree) -> Rendered {
    let mut missing_images = Vec::new();
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let events = Parser::new_ext(markdown, options).map(|event| match event {
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let dest_url = match tree.image_url(&dest_url) {
                Some(url) => CowStr::from(url),
                None => {
                    missing_images.push(dest_url.to_string());
                    dest_url
                }
            };
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            })
        }
        other => other,
    });
    let mut raw = String::with_capacity(markdown.len() * 2);
    html::push_html(&mut raw, events.flat_map(in_scroll_box).flatten());
    let html = ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer"))
        .add_tag_attributes("pre", &["tabindex"])
        .add_tag_attributes("div", &["tabindex"])
        .add_allowed_classes("div", &["scroll-x"])
        .clean(&raw)
        .to_string();
    Rendered {
        html,
        missing_images,
    }
}

/// Code blocks and tables in a box that scrolls sideways (a table cannot scroll by itself without
/// losing its semantics) and takes the keyboard focus, so that it scrolls without a finger too.
fn in_scroll_box(event: Event<'_>) -> [Option<Event<'_>>; 2] {
    match event {
        // The language's class would not pass the sanitiser anyway.
        Event::Start(Tag::CodeBlock(_)) => [
            Some(Event::Html(r#"<pre tabindex="0"><code>"#.into())),
            None,
        ],
        Event::Start(Tag::Table(_)) => [
            Some(Event::Html(r#"<div class="scroll-x" tabindex="0">"#.into())),
            Some(event),
        ],
        Event::End(TagEnd::Table) => [Some(event), Some(Event::Html("</div>".into()))],
        other => [Some(other), None],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree_with_image() -> Tree {
        let mut tree = Tree::default();
        tree.images.insert("images/razzo.svg".into(), "abcd".into());
        tree
    }

    fn to_html(markdown: &str) -> String {
        render(markdown, &Tree::default()).html
    }

    #[test]
    fn renders_markdown() {
        assert_eq!(
            to_html("# Orbite\n\n*ciao*"),
            "<h1>Orbite</h1>\n<p><em>ciao</em></p>\n"
        );
    }

    #[test]
    fn removes_scripts_and_event_handlers() {
        let html = to_html(
            "<script>alert(1)</script><img src=x.png onerror=\"alert(1)\"><a href=\"javascript:alert(1)\">x</a>",
        );
        assert!(!html.contains("script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript"), "{html}");
    }

    #[test]
    fn code_blocks_and_tables_scroll_in_a_focusable_box() {
        let html = to_html("```python\nx = 1\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
        assert!(
            html.starts_with("<pre tabindex=\"0\"><code>x = 1\n</code></pre>"),
            "{html}"
        );
        assert!(
            html.contains("<div class=\"scroll-x\" tabindex=\"0\"><table>"),
            "{html}"
        );
        assert!(html.trim_end().ends_with("</table>\n</div>"), "{html}");
    }

    #[test]
    fn authors_cannot_add_other_classes() {
        let html = to_html("<div class=\"scroll-x celebration\">x</div>");
        assert_eq!(html, "<div class=\"scroll-x\">x</div>");
    }

    #[test]
    fn links_get_noopener() {
        let html = to_html("[ESA](https://www.esa.int)");
        assert!(html.contains("rel=\"noopener noreferrer\""), "{html}");
    }

    #[test]
    fn images_get_versioned_urls_and_missing_ones_are_reported() {
        let rendered = render(
            "![Un razzo](images/razzo.svg) ![Manca](images/nulla.png)",
            &tree_with_image(),
        );
        assert!(
            rendered
                .html
                .contains("src=\"/content/images/razzo.svg?v=abcd\""),
            "{}",
            rendered.html
        );
        assert!(
            rendered.html.contains("alt=\"Un razzo\""),
            "{}",
            rendered.html
        );
        assert_eq!(rendered.missing_images, ["images/nulla.png"]);
    }
}
