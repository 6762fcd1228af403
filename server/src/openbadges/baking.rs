//! Open Badges baking: the assertion travels inside the badge's image, so the file alone can be
//! checked. In SVG it is an `<openbadges:assertion verify="URL">` element holding the JSON.

#[derive(Debug, thiserror::Error)]
pub enum BakeError {
    #[error("l'immagine del badge non è un SVG")]
    NotSvg,
}

/// `svg` with the assertion (its hosted URL and its JSON) as the root element's first child.
pub fn bake_svg(svg: &str, assertion_url: &str, assertion_json: &str) -> Result<String, BakeError> {
    let start = svg.find("<svg").ok_or(BakeError::NotSvg)?;
    let end = start + tag_end(&svg[start..]).ok_or(BakeError::NotSvg)?;
    let (open, rest) = svg.split_at(end);
    let (open, self_closing) = match open.strip_suffix('/') {
        Some(open) => (open, true),
        None => (open, false),
    };
    let rest = &rest[1..];
    // "]]>" would end the CDATA section early: split it across two sections.
    let data = assertion_json.replace("]]>", "]]]]><![CDATA[>");
    let element = format!(
        "<openbadges:assertion verify=\"{}\"><![CDATA[{data}]]></openbadges:assertion>",
        escape_attribute(assertion_url)
    );
    let close = if self_closing { "</svg>" } else { "" };
    Ok(format!("{open} xmlns:openbadges=\"http://openbadges.org\">{element}{close}{rest}"))
}

/// The index of the `>` that ends the tag starting `text`, outside quoted attribute values.
fn tag_end(text: &str) -> Option<usize> {
    let mut quote = None;
    for (index, c) in text.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(index),
            _ => {}
        }
    }
    None
}

fn escape_attribute(text: &str) -> String {
    text.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "http://127.0.0.1:8080/ob/assertions/1";

    #[test]
    fn the_assertion_goes_first_inside_the_root_element() {
        let svg = "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" data-x=\"a>b\"><circle r=\"3\"/></svg>";
        let baked = bake_svg(svg, URL, r#"{"id":"x]]>y"}"#).unwrap();
        assert_eq!(
            baked,
            "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" data-x=\"a>b\" xmlns:openbadges=\"http://openbadges.org\">\
             <openbadges:assertion verify=\"http://127.0.0.1:8080/ob/assertions/1\"><![CDATA[{\"id\":\"x]]]]><![CDATA[>y\"}]]>\
             </openbadges:assertion><circle r=\"3\"/></svg>"
        );
        assert!(bake_svg("<svg/>", URL, "{}").unwrap().ends_with("</openbadges:assertion></svg>"));
        assert!(matches!(bake_svg("\u{89}PNG", URL, "{}"), Err(BakeError::NotSvg)));
    }
}
