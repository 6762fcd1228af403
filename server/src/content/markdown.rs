//! Markdown to sanitised HTML, so that the app ships no Markdown parser and shows no script.
//! Image references (`images/…`) become the server's versioned URLs.

use super::tree::Tree;
use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, html};

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
    html::push_html(&mut raw, events);
    let html = ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer"))
        .clean(&raw)
        .to_string();
    Rendered {
        html,
        missing_images,
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
