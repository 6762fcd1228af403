//! Open Badges 2.0, hosted: every badge a person earns becomes an assertion at a stable public
//! URL, with its BadgeClass and the programme's Issuer profile beside it, so anyone can check it
//! without an account. Recipients are never an email (see `documents::recipient`).

pub mod assertions;
pub mod baking;
pub mod documents;

use std::fmt;
use std::str::FromStr;

/// The server's public base URL (`serve --public-url`): every Open Badges id starts with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicUrl(String);

#[derive(Debug, thiserror::Error)]
#[error(
    "l'URL pubblico deve iniziare con http:// o https:// e non contenere spazi, query o frammenti"
)]
pub struct BadPublicUrl;

impl FromStr for PublicUrl {
    type Err = BadPublicUrl;

    fn from_str(text: &str) -> Result<Self, BadPublicUrl> {
        let base = text.trim_end_matches('/');
        let host = base
            .strip_prefix("https://")
            .or_else(|| base.strip_prefix("http://"))
            .ok_or(BadPublicUrl)?;
        let bad = |c: char| {
            c.is_whitespace() || c.is_control() || matches!(c, '?' | '#' | '"' | '<' | '>' | '\\')
        };
        if host.is_empty() || host.starts_with('/') || host.contains(bad) {
            return Err(BadPublicUrl);
        }
        Ok(Self(base.to_owned()))
    }
}

impl fmt::Display for PublicUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The programme as an Open Badges issuer.
#[derive(Debug, Clone)]
pub struct Issuer {
    pub public_url: PublicUrl,
    /// Open Badges requires an issuer's contact address; it is the programme's, never a learner's.
    pub email: String,
}

impl Issuer {
    /// The absolute URL of `path` (which starts with `/`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.public_url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_urls_are_http_bases_without_a_trailing_slash() {
        assert_eq!(
            "http://127.0.0.1:8080/"
                .parse::<PublicUrl>()
                .unwrap()
                .to_string(),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            "https://officina.example/app"
                .parse::<PublicUrl>()
                .unwrap()
                .to_string(),
            "https://officina.example/app"
        );
        for bad in [
            "ftp://x",
            "officina.example",
            "http://",
            "http://a b",
            "https://x/?q=1",
            "http:///x",
        ] {
            assert!(bad.parse::<PublicUrl>().is_err(), "{bad}");
        }
    }
}
