//! Bearer tokens: 256 random bits, shown once to the device and stored only as their SHA-256.
//! A fast hash is right here: the token is random, so there is nothing to guess.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

const TOKEN_BYTES: usize = 32;

/// What the database keeps of a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenHash(pub [u8; 32]);

/// A new token and its hash.
pub struct Issued {
    pub token: String,
    pub hash: TokenHash,
}

pub fn issue() -> Result<Issued, getrandom::Error> {
    let mut bytes = [0u8; TOKEN_BYTES];
    getrandom::fill(&mut bytes)?;
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash(&token);
    Ok(Issued { token, hash })
}

pub fn hash(token: &str) -> TokenHash {
    TokenHash(Sha256::digest(token.as_bytes()).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_hashed() {
        let one = issue().unwrap();
        let two = issue().unwrap();
        assert_ne!(one.token, two.token);
        assert_eq!(one.token.len(), 43, "256 bits in unpadded base64url");
        assert_eq!(hash(&one.token), one.hash);
        assert_ne!(one.hash, two.hash);
    }
}
