//! Open Badges 2.0, hosted: every badge a person earns becomes an assertion at a stable public
//! URL, with its BadgeClass and the programme's Issuer profile beside it, so anyone can check it
//! without an account. Recipients are never an email (see `documents::recipient`).

pub mod assertions;
pub mod audit;
pub mod baking;
pub mod documents;

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
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

impl PublicUrl {
    /// `http://` and the address the server listens on. Listening on every address (`0.0.0.0`,
    /// `[::]`) is no address to reach: then the loopback, with the same port.
    pub fn from_addr(addr: SocketAddr) -> Self {
        let ip = match addr.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
            ip => ip,
        };
        Self(format!("http://{}", SocketAddr::new(ip, addr.port())))
    }

    /// Whether only this machine reaches it: `localhost`, `127.x.x.x`, `[::1]`.
    pub fn is_loopback(&self) -> bool {
        let authority = self.0.split("://").nth(1).unwrap_or_default();
        let authority = authority.split('/').next().unwrap_or_default();
        let host = match authority.strip_prefix('[') {
            Some(v6) => v6.split(']').next().unwrap_or_default(),
            None => authority.split(':').next().unwrap_or_default(),
        };
        host.eq_ignore_ascii_case("localhost")
            || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
    }

    /// What to warn an operator of: a public URL only this machine reaches, on a server that
    /// listens for others, puts badges and join QR codes that point nowhere into the world.
    pub fn warning(&self, addr: SocketAddr) -> Option<String> {
        (self.is_loopback() && !addr.ip().is_loopback()).then(|| {
            format!(
                "the public URL {self} is a loopback address while the server listens on {addr}: \
                 badges and join QR codes will point at this machine only; set --public-url \
                 (OFFICINA_PUBLIC_URL) to the address people reach the server at"
            )
        })
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

    fn addr(text: &str) -> SocketAddr {
        text.parse().unwrap()
    }

    #[test]
    fn the_default_public_url_is_the_address_listened_on() {
        let url = |text| PublicUrl::from_addr(addr(text)).to_string();
        assert_eq!(url("192.168.1.20:3000"), "http://192.168.1.20:3000");
        assert_eq!(url("127.0.0.1:8080"), "http://127.0.0.1:8080");
        assert_eq!(url("0.0.0.0:8081"), "http://127.0.0.1:8081");
        assert_eq!(url("[::]:9000"), "http://[::1]:9000");
        assert_eq!(url("[2001:db8::1]:443"), "http://[2001:db8::1]:443");
    }

    #[test]
    fn a_loopback_public_url_is_worth_a_warning_only_on_a_server_others_reach() {
        let url = |text: &str| text.parse::<PublicUrl>().unwrap();
        for loopback in [
            "http://127.0.0.1:8080",
            "http://localhost/app",
            "https://LOCALHOST:8443",
            "http://[::1]:80",
            "http://127.8.9.1",
        ] {
            assert!(url(loopback).is_loopback(), "{loopback}");
            assert!(url(loopback).warning(addr("0.0.0.0:8080")).is_some());
            assert!(url(loopback).warning(addr("10.0.0.2:8080")).is_some());
            assert!(url(loopback).warning(addr("127.0.0.1:8080")).is_none());
            assert!(url(loopback).warning(addr("[::1]:8080")).is_none());
        }
        for public in [
            "https://officina.example",
            "http://192.168.1.20:3000",
            "http://[2001:db8::1]",
        ] {
            assert!(!url(public).is_loopback(), "{public}");
            assert!(url(public).warning(addr("0.0.0.0:8080")).is_none());
        }
        let defaulted = PublicUrl::from_addr(addr("0.0.0.0:8081"));
        assert!(defaulted.warning(addr("0.0.0.0:8081")).is_some());
    }
}
