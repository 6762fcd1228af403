//! What a request asks of a response held in memory: the encoding it prefers among the copies we
//! keep, and whether it already holds the version we would send.

use axum::http::{HeaderMap, header};

/// The encodings we keep copies in. On equal q-values the later one wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Encoding {
    Identity,
    Gzip,
    Brotli,
}

impl Encoding {
    fn parse(name: &str) -> Option<Self> {
        if name.eq_ignore_ascii_case("br") {
            Some(Self::Brotli)
        } else if name.eq_ignore_ascii_case("gzip") || name.eq_ignore_ascii_case("x-gzip") {
            Some(Self::Gzip)
        } else if name.eq_ignore_ascii_case("identity") {
            Some(Self::Identity)
        } else {
            None
        }
    }

    /// The `Content-Encoding` it is sent with; `None` for the bytes as they are.
    pub fn header(self) -> Option<&'static str> {
        match self {
            Self::Identity => None,
            Self::Gzip => Some("gzip"),
            Self::Brotli => Some("br"),
        }
    }
}

/// The encoding `Accept-Encoding` prefers: the highest q-value, brotli before gzip before identity
/// on equal ones; identity when it accepts neither copy. `q=0` refuses; `*` and unknown names are
/// ignored. This is the choice tower-http's `CompressionLayer` makes, so it never compresses again
/// what we chose to send as it is.
pub fn preferred(headers: &HeaderMap) -> Encoding {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .filter_map(|item| {
            let mut parts = item.split(';').map(str::trim);
            let encoding = Encoding::parse(parts.next()?)?;
            let q = match parts.find_map(|param| {
                let (name, value) = param.split_once('=')?;
                name.trim()
                    .eq_ignore_ascii_case("q")
                    .then_some(value.trim())
            }) {
                Some(value) => q_value(value)?,
                None => 1000,
            };
            (q > 0).then_some((q, encoding))
        })
        .max()
        .map_or(Encoding::Identity, |(_, encoding)| encoding)
}

/// A q-value (`0.5`) in thousandths (500); `None` when malformed, which drops the item as
/// tower-http does.
fn q_value(value: &str) -> Option<u16> {
    let (whole, fraction) = value.split_once('.').unwrap_or((value, ""));
    let mut q = match whole {
        "0" => 0,
        "1" => 1000,
        _ => return None,
    };
    if fraction.len() > 3 {
        return None;
    }
    for (digit, factor) in fraction.bytes().zip([100, 10, 1]) {
        if !digit.is_ascii_digit() {
            return None;
        }
        q += factor * u16::from(digit - b'0');
    }
    (q <= 1000).then_some(q)
}

/// Whether `If-None-Match` names `etag` (or `*`): the client's copy is current.
pub fn if_none_match(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|tag| tag.trim().trim_start_matches("W/"))
        .any(|tag| tag == etag || tag == "*")
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn accepting(values: &[&str]) -> Encoding {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(
                header::ACCEPT_ENCODING,
                HeaderValue::from_str(value).unwrap(),
            );
        }
        preferred(&headers)
    }

    #[test]
    fn prefers_brotli_then_gzip_then_the_bytes_as_they_are() {
        use Encoding::*;
        for (accept, expected) in [
            ("gzip, deflate, br, zstd", Brotli),
            ("gzip", Gzip),
            ("x-gzip", Gzip),
            ("BR", Brotli),
            ("deflate", Identity),
            ("*", Identity),
            ("", Identity),
        ] {
            assert_eq!(accepting(&[accept]), expected, "for {accept:?}");
        }
        assert_eq!(accepting(&[]), Identity, "no header");
        assert_eq!(accepting(&["gzip", "br"]), Brotli, "over two headers");
    }

    #[test]
    fn honours_q_values_and_refusals() {
        use Encoding::*;
        for (accept, expected) in [
            ("br;q=0, gzip", Gzip),
            ("br; q=0.000, gzip", Gzip),
            ("br;q=0, gzip;q=0", Identity),
            ("br;q=0.5, gzip;q=0.8", Gzip),
            ("br;q=0.8, gzip;q=0.8", Brotli),
            ("br;q=1.0, gzip", Brotli),
            ("identity, gzip;q=0.5", Identity),
            ("br;level=4;Q = 0, gzip", Gzip),
            ("br;quality=0, gzip;q=0.5", Brotli),
            // Malformed q-values drop their item.
            ("br;q=2, gzip", Gzip),
            ("br;q=0.5x, gzip;q=0.1", Gzip),
            ("br;q=0.0001, gzip;q=0.1", Gzip),
        ] {
            assert_eq!(accepting(&[accept]), expected, "for {accept:?}");
        }
    }

    #[test]
    fn reads_q_values_in_thousandths() {
        assert_eq!(q_value("1"), Some(1000));
        assert_eq!(q_value("0.25"), Some(250));
        assert_eq!(q_value("0."), Some(0));
        assert_eq!(q_value("1.001"), None);
        assert_eq!(q_value(".5"), None);
        assert_eq!(q_value(""), None);
    }

    #[test]
    fn if_none_match_names_the_etag_or_anything() {
        let mut headers = HeaderMap::new();
        assert!(!if_none_match(&headers, "\"a\""));
        headers.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_static("\"b\", W/\"a\""),
        );
        assert!(if_none_match(&headers, "\"a\""));
        assert!(!if_none_match(&headers, "\"c\""));
        headers.insert(header::IF_NONE_MATCH, HeaderValue::from_static("*"));
        assert!(if_none_match(&headers, "\"c\""));
    }
}
