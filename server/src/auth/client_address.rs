//! Where a request comes from, for the limits on guessing: the TCP peer, unless the peer is a
//! trusted proxy (`serve --trusted-proxy`), in which case the rightmost `X-Forwarded-For` entry that
//! is not itself a trusted proxy. Anyone else's `X-Forwarded-For` is ignored: a client could write
//! any address there.

use super::rate_limit::Address;
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use ipnet::IpNet;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicBool, Ordering};

const FORWARDED_FOR: &str = "x-forwarded-for";

/// The networks whose `X-Forwarded-For` is believed.
#[derive(Debug, Default)]
pub struct TrustedProxies {
    networks: Vec<IpNet>,
    /// Whether the log has said once that an untrusted peer sent the header.
    warned: AtomicBool,
}

impl TrustedProxies {
    pub fn new(networks: Vec<IpNet>) -> Self {
        Self {
            networks,
            warned: AtomicBool::new(false),
        }
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.networks.iter().any(|network| network.contains(&ip))
    }

    /// A proxy left out of `--trusted-proxy` makes a whole class one address: say so, once.
    /// (No address in the log: it may be a person's.)
    fn warn_if_untrusted_proxy(&self, headers: &HeaderMap) {
        if headers.contains_key(FORWARDED_FOR) && !self.warned.swap(true, Ordering::Relaxed) {
            tracing::warn!(
                "X-Forwarded-For from a peer that is not a trusted proxy: ignored (if it is your proxy, start with --trusted-proxy)"
            );
        }
    }

    /// The client's address: the peer's, or, from a trusted peer, the last address the proxies
    /// saw before their own. Reading stops at an entry that is not an address (what lies left of
    /// it was written by someone untrusted), and when every entry is a proxy the leftmost is taken.
    pub fn client(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        if !self.trusts(peer) {
            self.warn_if_untrusted_proxy(headers);
            return peer;
        }
        let entries: Vec<&str> = headers
            .get_all(FORWARDED_FOR)
            .iter()
            .flat_map(|value| value.to_str().unwrap_or("").split(','))
            .collect();
        let mut client = peer;
        for entry in entries.iter().rev() {
            match entry.trim().parse::<IpAddr>() {
                Ok(ip) if self.trusts(ip) => client = ip,
                Ok(ip) => return ip,
                Err(_) => break,
            }
        }
        client
    }
}

/// Parses `--trusted-proxy`: a network (`10.0.0.0/8`) or a single address (`127.0.0.1`).
pub fn parse_network(text: &str) -> Result<IpNet, String> {
    let text = text.trim();
    text.parse::<IpNet>()
        .or_else(|_| text.parse::<IpAddr>().map(IpNet::from))
        .map_err(|_| format!("«{text}» is not an address or a network like 10.0.0.0/8"))
}

/// The address a limited route counts attempts against.
#[derive(Debug, Clone, Copy)]
pub struct ClientAddress(pub Address);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let ConnectInfo(peer) = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .ok_or_else(|| ApiError::Internal("no peer address".into()))?;
        let ip = state.proxies.client(peer.ip(), &parts.headers);
        Ok(Self(Address::of(ip)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn proxies(networks: &[&str]) -> TrustedProxies {
        TrustedProxies::new(networks.iter().map(|n| parse_network(n).unwrap()).collect())
    }

    fn forwarded(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(FORWARDED_FOR, value.parse().unwrap());
        }
        headers
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn the_header_is_ignored_unless_the_peer_is_trusted() {
        let headers = forwarded(&["203.0.113.9"]);
        assert_eq!(
            TrustedProxies::default().client(ip("198.51.100.1"), &headers),
            ip("198.51.100.1")
        );
        let trusted = proxies(&["10.0.0.0/8"]);
        assert_eq!(
            trusted.client(ip("198.51.100.1"), &headers),
            ip("198.51.100.1")
        );
        assert_eq!(trusted.client(ip("10.1.2.3"), &headers), ip("203.0.113.9"));
    }

    #[test]
    fn the_rightmost_untrusted_entry_is_the_client() {
        let trusted = proxies(&["10.0.0.0/8", "192.0.2.7"]);
        let peer = ip("10.0.0.1");
        let spoofed = forwarded(&["1.1.1.1, 203.0.113.9", "192.0.2.7"]);
        assert_eq!(trusted.client(peer, &spoofed), ip("203.0.113.9"));
        let garbage = forwarded(&["1.1.1.1, nonsense, 10.0.0.2"]);
        assert_eq!(trusted.client(peer, &garbage), ip("10.0.0.2"));
        assert_eq!(trusted.client(peer, &HeaderMap::new()), peer);
        let v6 = forwarded(&["2001:db8::1"]);
        assert_eq!(
            trusted.client(ip("::ffff:10.0.0.1"), &v6),
            ip("2001:db8::1")
        );
    }

    #[test]
    fn a_single_address_is_a_network_of_one() {
        assert_eq!(
            parse_network(" 127.0.0.1 ").unwrap().to_string(),
            "127.0.0.1/32"
        );
        assert_eq!(parse_network("::1").unwrap().to_string(), "::1/128");
        assert!(parse_network("10.0.0.0/33").is_err());
        assert!(parse_network("proxy").is_err());
    }
}
