//! Cohort join codes: 8 characters from an alphabet without the look-alikes 0/O, 1/I/L, so a code
//! read aloud or copied from a whiteboard works. 31^8 ≈ 8.5·10^11 codes, and wrong guesses are
//! rate-limited by address.

pub const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
pub const LENGTH: usize = 8;

pub fn generate() -> Result<String, getrandom::Error> {
    generate_of_length(LENGTH)
}

/// A code of `length` characters from [`ALPHABET`] (family codes are shorter: they live a day).
pub fn generate_of_length(length: usize) -> Result<String, getrandom::Error> {
    // Bytes at or above the largest multiple of 31 are redrawn, so every character is equally likely.
    let limit = (256 / ALPHABET.len() * ALPHABET.len()) as u8;
    let mut code = String::with_capacity(length);
    while code.len() < length {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes)?;
        let usable = bytes.into_iter().filter(|b| *b < limit);
        for byte in usable.take(length - code.len()) {
            code.push(char::from(ALPHABET[usize::from(byte) % ALPHABET.len()]));
        }
    }
    Ok(code)
}

/// A code as typed: any case, with spaces or dashes people add for readability.
pub fn normalize(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect::<String>()
        .to_uppercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_use_only_unambiguous_characters() {
        for _ in 0..200 {
            let code = generate().unwrap();
            assert_eq!(code.len(), LENGTH);
            assert!(code.bytes().all(|b| ALPHABET.contains(&b)), "{code}");
        }
        assert!(!ALPHABET.iter().any(|b| b"0O1IL".contains(b)));
    }

    #[test]
    fn typed_codes_are_normalized() {
        assert_eq!(normalize(" abcd-2345 "), "ABCD2345");
    }
}
