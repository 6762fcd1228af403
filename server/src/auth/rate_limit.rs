//! Login attempts: after 5 failures for the same nickname, or from the same address, within
//! 15 minutes, the next attempts are refused until the oldest of those failures is 15 minutes old.
//! Kept in memory: one server process, and a restart forgetting is harmless.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

pub const MAX_FAILURES: usize = 5;
pub const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Past this many keys, expired ones are swept, so a flood of addresses cannot grow the map for ever.
const SWEEP_ABOVE: usize = 10_000;

/// What failures are counted against.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AttemptKey {
    /// A nickname in a cohort (by join code), or a staff name; compared without case.
    Account(String),
    Address(IpAddr),
}

impl AttemptKey {
    pub fn member(code: &str, nickname: &str) -> Self {
        Self::Account(format!("{code}\n{}", nickname.to_lowercase()))
    }

    pub fn staff(name: &str) -> Self {
        Self::Account(format!("\nstaff\n{}", name.to_lowercase()))
    }

    /// The address an attempt came from. An IPv6 host picks any address of its /64 at will (a
    /// laptop on the lab's Wi-Fi can take thousands), so the /64 is counted; an IPv4 address seen
    /// by a dual-stack listener (`::ffff:a.b.c.d`) is the IPv4 address.
    pub fn address(ip: IpAddr) -> Self {
        Self::Address(match ip.to_canonical() {
            IpAddr::V6(v6) => {
                let bits = u128::from(v6) & !(u128::MAX >> 64);
                IpAddr::V6(bits.into())
            }
            v4 => v4,
        })
    }
}

/// Too many failures: try again after `retry_after`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("too many failed attempts")]
pub struct Locked {
    pub retry_after: Duration,
}

#[derive(Debug, Default)]
pub struct RateLimiter {
    failures: Mutex<HashMap<AttemptKey, VecDeque<Instant>>>,
}

impl RateLimiter {
    /// Refuses when any of `keys` has had too many recent failures.
    pub fn check(&self, keys: &[AttemptKey], now: Instant) -> Result<(), Locked> {
        let mut failures = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        locked(&mut failures, keys, now)
    }

    /// Like [`check`](Self::check), then, under the same lock, counts this attempt as a failure
    /// against every key, so that N attempts sent at once are all counted (checking, then failing
    /// after an `await`, lets them all through before the first failure is recorded). An attempt
    /// that turns out right is taken back with [`forgive`](Self::forgive).
    pub fn attempt(&self, keys: &[AttemptKey], now: Instant) -> Result<(), Locked> {
        let mut failures = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        locked(&mut failures, keys, now)?;
        record(&mut failures, keys, now);
        Ok(())
    }

    /// Takes back the failure [`attempt`](Self::attempt) counted at `at` against each key.
    pub fn forgive(&self, keys: &[AttemptKey], at: Instant) {
        let mut failures = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        for key in keys {
            if let Some(times) = failures.get_mut(key) {
                if let Some(position) = times.iter().rposition(|t| *t == at) {
                    times.remove(position);
                }
                if times.is_empty() {
                    failures.remove(key);
                }
            }
        }
    }

    pub fn fail(&self, keys: &[AttemptKey], now: Instant) {
        let mut failures = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        record(&mut failures, keys, now);
    }

    /// A success forgives the account's failures (not the address's).
    pub fn succeed(&self, key: &AttemptKey) {
        self.failures
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(key);
    }
}

type Failures = HashMap<AttemptKey, VecDeque<Instant>>;

/// Whether any of `keys` has had too many recent failures.
fn locked(failures: &mut Failures, keys: &[AttemptKey], now: Instant) -> Result<(), Locked> {
    let retry_after = keys
        .iter()
        .filter_map(|key| {
            let times = failures.get_mut(key)?;
            forget_expired(times, now);
            let oldest = times.front()?;
            (times.len() >= MAX_FAILURES)
                .then(|| WINDOW.saturating_sub(now.duration_since(*oldest)))
        })
        .max();
    match retry_after {
        Some(retry_after) => Err(Locked { retry_after }),
        None => Ok(()),
    }
}

fn record(failures: &mut Failures, keys: &[AttemptKey], now: Instant) {
    if failures.len() > SWEEP_ABOVE {
        failures.retain(|_, times| {
            forget_expired(times, now);
            !times.is_empty()
        });
    }
    for key in keys {
        let times = failures.entry(key.clone()).or_default();
        forget_expired(times, now);
        times.push_back(now);
    }
}

fn forget_expired(times: &mut VecDeque<Instant>, now: Instant) {
    while times
        .front()
        .is_some_and(|t| now.duration_since(*t) >= WINDOW)
    {
        times.pop_front();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locks_after_five_failures_until_the_oldest_expires() {
        let limiter = RateLimiter::default();
        let key = [AttemptKey::member("ABCD2345", "Astro")];
        let start = Instant::now();
        for minute in 0..5 {
            assert!(
                limiter
                    .check(&key, start + Duration::from_secs(60 * minute))
                    .is_ok()
            );
            limiter.fail(&key, start + Duration::from_secs(60 * minute));
        }
        let later = start + Duration::from_secs(10 * 60);
        assert_eq!(
            limiter.check(&key, later),
            Err(Locked {
                retry_after: Duration::from_secs(5 * 60)
            })
        );
        assert!(
            limiter
                .check(&[AttemptKey::member("ABCD2345", "ASTRO")], later)
                .is_err(),
            "case does not matter"
        );
        assert!(
            limiter
                .check(&[AttemptKey::member("ABCD2345", "Luna")], later)
                .is_ok()
        );
        assert!(
            limiter.check(&key, start + WINDOW).is_ok(),
            "the first failure has expired"
        );
    }

    #[test]
    fn a_success_clears_the_account_only() {
        let limiter = RateLimiter::default();
        let account = AttemptKey::staff("Maria");
        let address = AttemptKey::Address(IpAddr::from([127, 0, 0, 1]));
        let now = Instant::now();
        for _ in 0..MAX_FAILURES {
            limiter.fail(&[account.clone(), address.clone()], now);
        }
        limiter.succeed(&account);
        assert!(limiter.check(&[account], now).is_ok());
        assert!(limiter.check(&[address], now).is_err());
    }

    #[test]
    fn an_attempt_counts_at_once_and_a_right_one_is_taken_back() {
        let limiter = RateLimiter::default();
        let address = [AttemptKey::Address(IpAddr::from([127, 0, 0, 1]))];
        let now = Instant::now();
        for _ in 0..MAX_FAILURES {
            assert!(limiter.attempt(&address, now).is_ok());
        }
        assert!(
            limiter.attempt(&address, now).is_err(),
            "nothing recorded after"
        );
        limiter.forgive(&address, now);
        assert!(limiter.attempt(&address, now).is_ok(), "one taken back");
        assert!(limiter.check(&address, now).is_err());
    }

    #[test]
    fn an_ipv6_host_is_its_64_and_a_mapped_ipv4_address_is_itself() {
        let a: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff:1234:5678:9abc".parse().unwrap();
        let other: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(AttemptKey::address(a), AttemptKey::address(b));
        assert_ne!(AttemptKey::address(a), AttemptKey::address(other));
        let mapped: IpAddr = "::ffff:192.168.1.7".parse().unwrap();
        assert_eq!(
            AttemptKey::address(mapped),
            AttemptKey::Address(IpAddr::from([192, 168, 1, 7]))
        );
    }
}
