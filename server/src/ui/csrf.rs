//! CSRF protection for the HTML forms: one random token per process in a hidden field.
//!
//! The server binds to loopback and has no sessions, so the threat is another site in the
//! founder's browser posting a form here; it cannot read our pages, so it cannot learn the token.

use std::sync::OnceLock;

use rand::Rng;

/// The form field that carries the token.
pub const FIELD: &str = "csrf";

/// The token of this process, created on first use.
pub fn token() -> &'static str {
    static TOKEN: OnceLock<String> = OnceLock::new();
    TOKEN.get_or_init(|| {
        let bytes: [u8; 32] = rand::rng().random();
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    })
}

/// True when `candidate` is this process's token; compared in constant time.
pub fn is_valid(candidate: Option<&str>) -> bool {
    let Some(candidate) = candidate else {
        return false;
    };
    let expected = token().as_bytes();
    candidate.len() == expected.len()
        && candidate
            .as_bytes()
            .iter()
            .zip(expected)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_token_passes() {
        assert!(is_valid(Some(token())));
        assert_eq!(token().len(), 64);
        assert!(!is_valid(None));
        assert!(!is_valid(Some("")));
        assert!(!is_valid(Some(&"0".repeat(64))));
    }
}
