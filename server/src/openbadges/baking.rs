//! Open Badges baking: the assertion travels inside the badge's image, so the file alone can be
//! checked. In SVG it is an `<openbadges:assertion verify="URL">` element holding the JSON; in PNG
//! an `iTXt` chunk `openbadges` holding the JSON, in a PNG rendered from the badge's SVG.

use resvg::tiny_skia::{Pixmap, Transform};
use resvg::usvg;

/// The longer side of a baked PNG, in pixels: sharp on a phone, small to send.
const PNG_SIZE: f32 = 256.0;

#[derive(Debug, thiserror::Error)]
pub enum BakeError {
    #[error("l'immagine del badge non è un SVG")]
    NotSvg,
    #[error("cannot encode the PNG: {0}")]
    Png(#[from] png::EncodingError),
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
    Ok(format!(
        "{open} xmlns:openbadges=\"http://openbadges.org\">{element}{close}{rest}"
    ))
}

/// The badge's SVG rendered as a PNG (without text: the server has no fonts, and badges have no
/// text), with the assertion's JSON baked in.
pub fn bake_png(svg: &str, assertion_json: &str) -> Result<Vec<u8>, BakeError> {
    let tree =
        usvg::Tree::from_str(svg, &usvg::Options::default()).map_err(|_| BakeError::NotSvg)?;
    let size = tree.size();
    let scale = PNG_SIZE / size.width().max(size.height());
    let (width, height) = (
        (size.width() * scale).round() as u32,
        (size.height() * scale).round() as u32,
    );
    let mut pixmap = Pixmap::new(width.max(1), height.max(1)).ok_or(BakeError::NotSvg)?;
    resvg::render(
        &tree,
        Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    // tiny-skia keeps premultiplied alpha; PNG wants it straight.
    let rgba: Vec<u8> = pixmap
        .pixels()
        .iter()
        .flat_map(|pixel| {
            let color = pixel.demultiply();
            [color.red(), color.green(), color.blue(), color.alpha()]
        })
        .collect();
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.add_itxt_chunk("openbadges".into(), assertion_json.into())?;
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&rgba)?;
    writer.finish()?;
    Ok(out)
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
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
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
        assert!(
            bake_svg("<svg/>", URL, "{}")
                .unwrap()
                .ends_with("</openbadges:assertion></svg>")
        );
        assert!(matches!(
            bake_svg("\u{89}PNG", URL, "{}"),
            Err(BakeError::NotSvg)
        ));
    }

    #[test]
    fn a_baked_png_is_the_rendered_badge_with_the_assertion_in_an_itxt_chunk() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 32"><rect width="64" height="32" fill="#0b5394"/></svg>"##;
        let png = bake_png(svg, r#"{"id":"x"}"#).unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(png));
        let reader = decoder.read_info().unwrap();
        let info = reader.info();
        assert_eq!((info.width, info.height), (256, 128));
        let chunk = &info.utf8_text[0];
        assert_eq!(
            (chunk.keyword.as_str(), chunk.get_text().unwrap().as_str()),
            ("openbadges", r#"{"id":"x"}"#)
        );
        assert!(matches!(
            bake_png("non è un svg", "{}"),
            Err(BakeError::NotSvg)
        ));
    }
}
