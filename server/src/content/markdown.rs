//! Markdown to sanitised HTML, so that the app ships no Markdown parser and shows no script.

use pulldown_cmark::{Options, Parser, html};

pub fn to_safe_html(markdown: &str) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut raw = String::with_capacity(markdown.len() * 2);
    html::push_html(&mut raw, Parser::new_ext(markdown, options));
    ammonia::Builder::default().link_rel(Some("noopener noreferrer")).clean(&raw).to_string()
}

#[cfg(test)]
mod tests {
    use super::to_safe_html;

    #[test]
    fn renders_markdown() {
        assert_eq!(to_safe_html("# Orbite\n\n*ciao*"), "<h1>Orbite</h1>\n<p><em>ciao</em></p>\n");
    }

    #[test]
    fn removes_scripts_and_event_handlers() {
        let html = to_safe_html("<script>alert(1)</script><img src=x.png onerror=\"alert(1)\">");
        assert!(!html.contains("script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(html.contains("<img src=\"x.png\">"), "{html}");
    }

    #[test]
    fn links_get_noopener() {
        let html = to_safe_html("[ESA](https://www.esa.int)");
        assert!(html.contains("rel=\"noopener noreferrer\""), "{html}");
    }
}
