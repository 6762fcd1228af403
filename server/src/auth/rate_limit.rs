//! Guesses at secrets (PINs, passwords, join and family codes), counted two ways within 15 minutes:
//! - per account: 5 failures lock the account, from every address, until the oldest is 15 minutes
//!   old;
//! - per client address: failures for 20 distinct accounts (or distinct unknown join codes) lock
//!   the address. A class behind one address where each learner mistypes once is not locked: an
//!   account that then signs in leaves the address's tally. Spraying many accounts is.
//!
//! An attempt is counted when it starts, under one lock, so that guesses sent at once all count;
//! one whose secret is right is taken back, and so is one refused before its secret was judged.
//! Kept in memory: one server process, and a restart forgetting is harmless. Keys are 16-byte
//! hashes whatever was typed, each map holds at most [`MAX_KEYS`] keys (past that, expired ones are
//! swept, then unlocked keys evicted, least recently failed first), so memory stays bounded (about
//! 10 MiB at most).

use sha2::{Digest, Sha256};
use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Failures that lock an account.
pub const MAX_FAILURES: usize = 5;
/// Distinct accounts failed from one address that lock the address.
pub const MAX_ACCOUNTS_PER_ADDRESS: usize = 20;
pub const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Keys kept per map. An account holds at most 5 instants and an address 20 entries of ~50 bytes:
/// about 10 MiB when both maps are full.
pub const MAX_KEYS: usize = 8192;

/// What is guessed at, as a fixed-size hash of what was typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    /// An account's secret: limited per account and per address.
    Account([u8; 16]),
    /// A join code, which belongs to no account: limited per address only, so that a code many
    /// learners misread the same way answers "unknown" rather than locking.
    JoinCode([u8; 16]),
}

impl Target {
    /// A nickname in a cohort (by join code) that names no account; compared without case.
    pub fn member(code: &str, nickname: &str) -> Self {
        Self::Account(digest(&["member", code, &nickname.to_lowercase()]))
    }

    /// A staff name that names no account; compared without case.
    pub fn staff(name: &str) -> Self {
        Self::Account(digest(&["staff", &name.to_lowercase()]))
    }

    /// An account: the one a login names (however its name was typed), or a signed-in account
    /// typing family codes.
    pub fn user(id: &str) -> Self {
        Self::Account(digest(&["user", id]))
    }

    /// A join code as normalised.
    pub fn join_code(code: &str) -> Self {
        Self::JoinCode(digest(&["join", code]))
    }
}

impl Target {
    /// As the shared limiter stores it: a kind byte and the hash; and whether it is an account.
    pub fn key(&self) -> ([u8; 17], bool) {
        let (kind, hash, account) = match self {
            Self::Account(hash) => (0, hash, true),
            Self::JoinCode(hash) => (1, hash, false),
        };
        let mut key = [kind; 17];
        key[1..].copy_from_slice(hash);
        (key, account)
    }
}

/// The first 16 bytes of SHA-256 over the length-prefixed parts (so parts cannot run together).
fn digest(parts: &[&str]) -> [u8; 16] {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part.as_bytes());
    }
    let mut key = [0; 16];
    key.copy_from_slice(&hasher.finalize()[..16]);
    key
}

/// The address attempts are counted against. An IPv6 host picks any address of its /64 at will (a
/// laptop on the lab's Wi-Fi can take thousands), so the /64 is counted; an IPv4 address seen by a
/// dual-stack listener (`::ffff:a.b.c.d`) is the IPv4 address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Address(IpAddr);

impl Address {
    /// As the shared limiter stores it.
    pub fn key(&self) -> String {
        self.0.to_string()
    }

    pub fn of(ip: IpAddr) -> Self {
        Self(match ip.to_canonical() {
            IpAddr::V6(v6) => IpAddr::V6((u128::from(v6) & !(u128::MAX >> 64)).into()),
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

/// An attempt counted as a failure until it is said to be right or is taken back.
#[derive(Debug, Clone, Copy)]
#[must_use = "a right attempt must be taken back"]
pub struct Attempt {
    target: Target,
    address: Address,
    at: Instant,
}

/// One account (or join code) an address failed for: how many times, and when last.
#[derive(Debug)]
struct Failed {
    target: Target,
    count: usize,
    last: Instant,
}

#[derive(Debug, Default)]
struct Failures {
    accounts: HashMap<[u8; 16], VecDeque<Instant>>,
    addresses: HashMap<Address, Vec<Failed>>,
}

#[derive(Debug, Default)]
pub struct RateLimiter {
    failures: Mutex<Failures>,
}

impl RateLimiter {
    /// Refuses when the account or the address is locked; otherwise counts the attempt as a
    /// failure of both at once, before anything is checked.
    pub fn attempt(&self, target: Target, address: Address) -> Result<Attempt, Locked> {
        self.attempt_at(target, address, Instant::now())
    }

    fn attempt_at(
        &self,
        target: Target,
        address: Address,
        now: Instant,
    ) -> Result<Attempt, Locked> {
        let mut failures = self.lock();
        let Failures {
            accounts,
            addresses,
        } = &mut *failures;
        let tally = entry(addresses, address, now);
        tally.retain(|failed| now.duration_since(failed.last) < WINDOW);
        let address_lock = retry_after(
            tally.iter().map(|failed| failed.last),
            MAX_ACCOUNTS_PER_ADDRESS,
            now,
        );
        let account_lock = match target {
            Target::Account(key) => {
                let times = entry(accounts, key, now);
                forget_expired(times, now);
                retry_after(times.iter().copied(), MAX_FAILURES, now)
            }
            Target::JoinCode(_) => None,
        };
        if let Some(retry_after) = address_lock.max(account_lock) {
            return Err(Locked { retry_after });
        }
        if let Target::Account(key) = target {
            entry(accounts, key, now).push_back(now);
        }
        let tally = entry(addresses, address, now);
        match tally.iter_mut().find(|failed| failed.target == target) {
            Some(failed) => {
                failed.count += 1;
                failed.last = now;
            }
            None => tally.push(Failed {
                target,
                count: 1,
                last: now,
            }),
        }
        Ok(Attempt {
            target,
            address,
            at: now,
        })
    }

    /// The secret was right: the attempt is no failure, and the address's earlier failures for
    /// this account were typos, not guesses. (The account's own failures still count.)
    pub fn succeed(&self, attempt: Attempt) {
        let mut failures = self.lock();
        take_back_account(&mut failures, &attempt);
        if let Some(tally) = failures.addresses.get_mut(&attempt.address) {
            tally.retain(|failed| failed.target != attempt.target);
        }
    }

    /// The attempt was refused before its secret was judged (or its code was right but of no
    /// use): it is no failure.
    pub fn forgive(&self, attempt: Attempt) {
        let mut failures = self.lock();
        take_back_account(&mut failures, &attempt);
        if let Some(tally) = failures.addresses.get_mut(&attempt.address) {
            // `last` stays: at worst the address's lock ends one request's duration later.
            if let Some(failed) = tally.iter_mut().find(|f| f.target == attempt.target) {
                failed.count -= 1;
            }
            tally.retain(|failed| failed.count > 0);
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Failures> {
        self.failures.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn take_back_account(failures: &mut Failures, attempt: &Attempt) {
    if let Target::Account(key) = attempt.target
        && let Some(times) = failures.accounts.get_mut(&key)
        && let Some(position) = times.iter().rposition(|t| *t == attempt.at)
    {
        times.remove(position);
    }
}

/// How long until fewer than `limit` of `times` are within the window, if `limit` are now.
fn retry_after(
    times: impl Iterator<Item = Instant>,
    limit: usize,
    now: Instant,
) -> Option<Duration> {
    let mut times: Vec<Instant> = times.collect();
    if times.len() < limit {
        return None;
    }
    times.sort_unstable();
    let expiring = times[times.len() - limit];
    Some(WINDOW.saturating_sub(now.duration_since(expiring)))
}

fn forget_expired(times: &mut VecDeque<Instant>, now: Instant) {
    while times
        .front()
        .is_some_and(|t| now.duration_since(*t) >= WINDOW)
    {
        times.pop_front();
    }
}

/// What a map's value says about its failures, for eviction.
trait Recent {
    fn last(&self) -> Option<Instant>;
    /// Whether it holds as many failures as lock (expired ones included: close enough here).
    fn full(&self) -> bool;
}

impl Recent for VecDeque<Instant> {
    fn last(&self) -> Option<Instant> {
        self.back().copied()
    }

    fn full(&self) -> bool {
        self.len() >= MAX_FAILURES
    }
}

impl Recent for Vec<Failed> {
    fn last(&self) -> Option<Instant> {
        self.iter().map(|failed| failed.last).max()
    }

    fn full(&self) -> bool {
        self.len() >= MAX_ACCOUNTS_PER_ADDRESS
    }
}

/// The value for `key`, made room for when the map is full: expired keys are swept, and if it is
/// still over 3/4 full, keys are evicted down to 3/4, those not locked first, the least recently
/// failed first (so a sweep is paid for by a quarter of the map's inserts, and a flood of new keys
/// must first push out every unlocked one before it can free a locked account).
fn entry<K: Hash + Eq + Copy, V: Recent + Default>(
    map: &mut HashMap<K, V>,
    key: K,
    now: Instant,
) -> &mut V {
    if map.len() >= MAX_KEYS && !map.contains_key(&key) {
        let fresh = |value: &V| value.last().is_some_and(|t| now.duration_since(t) < WINDOW);
        map.retain(|_, value| fresh(value));
        let keep = MAX_KEYS * 3 / 4;
        if map.len() > keep {
            let mut by_worth: Vec<(bool, Option<Instant>, K)> = map
                .iter()
                .map(|(key, value)| (value.full(), value.last(), *key))
                .collect();
            by_worth.sort_unstable_by_key(|(full, last, _)| (*full, *last));
            for (_, _, old) in &by_worth[..map.len() - keep] {
                map.remove(old);
            }
        }
    }
    map.entry(key).or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn address(last: u8) -> Address {
        Address::of(IpAddr::from([127, 0, 0, last]))
    }

    #[test]
    fn five_failures_lock_an_account_from_every_address_until_the_oldest_expires() {
        let limiter = RateLimiter::default();
        let astro = Target::member("ABCD2345", "Astro");
        let start = Instant::now();
        for minute in 0..5 {
            let at = start + Duration::from_secs(60 * minute);
            assert!(limiter.attempt_at(astro, address(minute as u8), at).is_ok());
        }
        let later = start + Duration::from_secs(10 * 60);
        assert_eq!(
            limiter.attempt_at(astro, address(9), later).unwrap_err(),
            Locked {
                retry_after: Duration::from_secs(5 * 60)
            }
        );
        let shouted = Target::member("ABCD2345", "ASTRO");
        assert!(limiter.attempt_at(shouted, address(9), later).is_err());
        let luna = Target::member("ABCD2345", "Luna");
        assert!(limiter.attempt_at(luna, address(9), later).is_ok());
        assert!(
            limiter
                .attempt_at(astro, address(9), start + WINDOW)
                .is_ok(),
            "the first failure has expired"
        );
    }

    #[test]
    fn an_address_is_locked_by_failures_for_twenty_distinct_accounts() {
        let limiter = RateLimiter::default();
        let now = Instant::now();
        let astro = Target::member("ABCD2345", "Astro");
        for _ in 0..MAX_FAILURES - 1 {
            assert!(limiter.attempt_at(astro, address(1), now).is_ok());
        }
        for n in 1..MAX_ACCOUNTS_PER_ADDRESS {
            let other = Target::member("ABCD2345", &format!("Ospite{n}"));
            assert!(limiter.attempt_at(other, address(1), now).is_ok(), "{n}");
        }
        let luna = Target::member("ABCD2345", "Luna");
        assert!(limiter.attempt_at(luna, address(1), now).is_err());
        assert!(limiter.attempt_at(luna, address(2), now).is_ok());
    }

    #[test]
    fn a_right_secret_leaves_the_address_tally_and_is_no_failure() {
        let limiter = RateLimiter::default();
        let now = Instant::now();
        for n in 0..3 * MAX_ACCOUNTS_PER_ADDRESS {
            let learner = Target::member("ABCD2345", &format!("Allievo{n}"));
            let _typo = limiter.attempt_at(learner, address(1), now).unwrap();
            let right = limiter.attempt_at(learner, address(1), now).unwrap();
            limiter.succeed(right);
        }
        let maria = Target::staff("Maria");
        assert!(limiter.attempt_at(maria, address(1), now).is_ok());
        let learner = Target::member("ABCD2345", "Allievo0");
        for _ in 0..MAX_FAILURES - 1 {
            assert!(limiter.attempt_at(learner, address(3), now).is_ok());
        }
        assert!(
            limiter.attempt_at(learner, address(3), now).is_err(),
            "the typo still counts for the account, the right secret does not"
        );
    }

    #[test]
    fn an_attempt_counts_at_once_and_one_forgiven_is_taken_back() {
        let limiter = RateLimiter::default();
        let astro = Target::member("ABCD2345", "Astro");
        let now = Instant::now();
        let attempts: Vec<Attempt> = (0..MAX_FAILURES)
            .map(|_| limiter.attempt_at(astro, address(1), now).unwrap())
            .collect();
        assert!(limiter.attempt_at(astro, address(1), now).is_err());
        limiter.forgive(attempts[0]);
        assert!(limiter.attempt_at(astro, address(1), now).is_ok());
        assert!(limiter.attempt_at(astro, address(1), now).is_err());
    }

    #[test]
    fn join_codes_count_per_address_only_and_once_each() {
        let limiter = RateLimiter::default();
        let now = Instant::now();
        let typo = Target::join_code("ABCD2346");
        for _ in 0..3 * MAX_FAILURES {
            assert!(limiter.attempt_at(typo, address(1), now).is_ok());
            assert!(limiter.attempt_at(typo, address(2), now).is_ok());
        }
        for n in 1..MAX_ACCOUNTS_PER_ADDRESS {
            let guess = Target::join_code(&format!("GUESS{n:03}"));
            assert!(limiter.attempt_at(guess, address(1), now).is_ok());
        }
        let right = Target::join_code("ABCD2345");
        assert!(limiter.attempt_at(right, address(1), now).is_err());
    }

    #[test]
    fn keys_have_a_fixed_size_whatever_was_typed() {
        let long = "a".repeat(500_000);
        let other = format!("{long}b");
        assert_ne!(
            Target::member("ABCD2345", &long),
            Target::member("ABCD2345", &other)
        );
        assert_eq!(size_of::<Target>(), 17);
        assert_ne!(Target::member("AB", "CD"), Target::member("ABC", "D"));
    }

    #[test]
    fn the_maps_stay_bounded_evicting_the_least_recent_unlocked_first() {
        let limiter = RateLimiter::default();
        let start = Instant::now();
        let first = Target::staff("prima");
        let _ = limiter.attempt_at(first, address(1), start);
        let locked = Target::staff("bloccata");
        for _ in 0..MAX_FAILURES {
            let _ = limiter.attempt_at(locked, address(2), start);
        }
        for n in 0..2 * MAX_KEYS {
            let at = start + Duration::from_millis(n as u64 + 1);
            let ip = IpAddr::from((0x0a00_0000 + n as u32).to_be_bytes());
            let name = format!("nome{n}");
            let _ = limiter.attempt_at(Target::staff(&name), Address::of(ip), at);
        }
        let failures = limiter.lock();
        assert!(failures.accounts.len() <= MAX_KEYS && failures.addresses.len() <= MAX_KEYS);
        let Target::Account(key) = first else {
            unreachable!()
        };
        assert!(
            !failures.accounts.contains_key(&key),
            "the oldest was evicted"
        );
        drop(failures);
        let later = start + Duration::from_secs(60);
        assert!(
            limiter.attempt_at(locked, address(3), later).is_err(),
            "a locked account stays"
        );
    }

    #[test]
    fn an_ipv6_host_is_its_64_and_a_mapped_ipv4_address_is_itself() {
        let a: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff:1234:5678:9abc".parse().unwrap();
        let other: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(Address::of(a), Address::of(b));
        assert_ne!(Address::of(a), Address::of(other));
        let mapped: IpAddr = "::ffff:192.168.1.7".parse().unwrap();
        assert_eq!(Address::of(mapped), Address(IpAddr::from([192, 168, 1, 7])));
    }
}
