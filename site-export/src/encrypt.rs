//! Client-side encrypted pages, StatiCrypt-style: each page's HTML is sealed with AES-256-GCM
//! under a key derived from the passphrase with PBKDF2-HMAC-SHA256, and a small inline script
//! decrypts it with WebCrypto once the reader types the passphrase.
//!
//! One random 16-byte salt per export, so the expensive key derivation runs once per export (and
//! once per visit in the browser, whose derived key then opens every other page of the same
//! export); a fresh random 96-bit nonce per page, so no (key, nonce) pair repeats: with random
//! nonces a key stays safe for far more than 2^32 messages (NIST SP 800-38D), and an export has
//! thousands at most. A later export draws a new salt, hence a new key.

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::ExportError;

/// PBKDF2-HMAC-SHA256 iterations: OWASP's 2023 recommendation.
pub const ITERATIONS: u32 = 600_000;
const _: () = assert!(ITERATIONS >= 600_000, "OWASP 2023: at least 600,000");

/// The script every encrypted page runs; its hash goes into the page's Content-Security-Policy.
pub const UNLOCK_SCRIPT: &str = include_str!("../templates/unlock.js");

/// What a page carries instead of its content: everything but the passphrase, base64-encoded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sealed {
    /// Format version.
    pub v: u32,
    /// Key derivation: always `PBKDF2-SHA256`.
    pub kdf: String,
    /// PBKDF2 iterations.
    pub iterations: u32,
    /// The export's salt.
    pub salt: String,
    /// This page's AES-GCM nonce (12 bytes).
    pub iv: String,
    /// Ciphertext followed by the 16-byte tag.
    pub ciphertext: String,
}

/// A key derived from a passphrase, ready to seal pages.
pub struct Sealer {
    cipher: Aes256Gcm,
    salt: [u8; 16],
    iterations: u32,
}

impl Sealer {
    /// Derives the key for `passphrase` under a fresh random salt.
    pub fn new(passphrase: &str) -> Result<Sealer, ExportError> {
        let mut salt = [0u8; 16];
        rand::rng().fill_bytes(&mut salt);
        Sealer::with_salt(passphrase, salt, ITERATIONS)
    }

    /// Derives the key for `passphrase` under a given salt and iteration count (tests).
    pub fn with_salt(
        passphrase: &str,
        salt: [u8; 16],
        iterations: u32,
    ) -> Result<Sealer, ExportError> {
        if passphrase.is_empty() {
            return Err(ExportError::EmptyPassphrase);
        }
        let key = derive(passphrase, &salt, iterations);
        let cipher = Aes256Gcm::new_from_slice(&key)
            .map_err(|_| ExportError::Encrypt("a key of the wrong length".into()))?;
        Ok(Sealer {
            cipher,
            salt,
            iterations,
        })
    }

    /// Seals `plaintext` under a fresh random nonce.
    pub fn seal(&self, what: &str, plaintext: &[u8]) -> Result<Sealed, ExportError> {
        let mut iv = [0u8; 12];
        rand::rng().fill_bytes(&mut iv);
        let ciphertext = self
            .cipher
            .encrypt(Nonce::from_slice(&iv), plaintext)
            .map_err(|_| ExportError::Encrypt(what.to_string()))?;
        Ok(Sealed {
            v: 1,
            kdf: "PBKDF2-SHA256".into(),
            iterations: self.iterations,
            salt: STANDARD.encode(self.salt),
            iv: STANDARD.encode(iv),
            ciphertext: STANDARD.encode(ciphertext),
        })
    }
}

fn derive(passphrase: &str, salt: &[u8], iterations: u32) -> [u8; 32] {
    let mut key = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<Sha256>(passphrase.as_bytes(), salt, iterations, &mut key);
    key
}

/// Opens a sealed page with `passphrase`: what the browser does, for tests and tools.
pub fn open(sealed: &Sealed, passphrase: &str) -> Option<Vec<u8>> {
    let salt = STANDARD.decode(&sealed.salt).ok()?;
    let iv = STANDARD.decode(&sealed.iv).ok()?;
    let ciphertext = STANDARD.decode(&sealed.ciphertext).ok()?;
    if iv.len() != 12 {
        return None;
    }
    let key = derive(passphrase, &salt, sealed.iterations);
    let cipher = Aes256Gcm::new_from_slice(&key).ok()?;
    cipher
        .decrypt(Nonce::from_slice(&iv), ciphertext.as_slice())
        .ok()
}

/// The CSP source that allows exactly the unlock script: `'sha256-<base64>'`.
pub fn script_hash() -> String {
    format!(
        "'sha256-{}'",
        STANDARD.encode(Sha256::digest(UNLOCK_SCRIPT.as_bytes()))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sealer() -> Sealer {
        Sealer::with_salt("correct horse battery staple", [7; 16], 1_000).unwrap()
    }

    #[test]
    fn round_trips_and_refuses_a_wrong_passphrase() {
        let sealed = sealer().seal("index.html", b"<h1>Acme</h1>").unwrap();
        assert_eq!(
            open(&sealed, "correct horse battery staple").unwrap(),
            b"<h1>Acme</h1>"
        );
        assert_eq!(open(&sealed, "wrong horse"), None);
        assert_eq!(sealed.kdf, "PBKDF2-SHA256");
        assert_eq!(STANDARD.decode(&sealed.salt).unwrap(), [7; 16]);
        // 13 bytes of text plus the 16-byte tag.
        assert_eq!(STANDARD.decode(&sealed.ciphertext).unwrap().len(), 29);
    }

    #[test]
    fn every_page_gets_its_own_nonce() {
        let s = sealer();
        let a = s.seal("a", b"same").unwrap();
        let b = s.seal("b", b"same").unwrap();
        assert_ne!(a.iv, b.iv);
        assert_ne!(a.ciphertext, b.ciphertext);
        assert_eq!(a.salt, b.salt, "one salt per export");
    }

    #[test]
    fn fresh_salts_and_sound_defaults() {
        assert!(matches!(Sealer::new(""), Err(ExportError::EmptyPassphrase)));
        // One real derivation; the salt is random, so two exports never share a key.
        let a = Sealer::new("pw").unwrap();
        assert_ne!(a.salt, [0; 16]);
        assert_ne!(a.salt, Sealer::with_salt("pw", [0; 16], 1).unwrap().salt);
        assert_eq!(a.iterations, ITERATIONS);
    }

    #[test]
    fn the_script_hash_matches_the_script() {
        let hash = script_hash();
        assert!(
            hash.starts_with("'sha256-") && hash.ends_with("='"),
            "{hash}"
        );
        assert!(UNLOCK_SCRIPT.contains("PBKDF2") && UNLOCK_SCRIPT.contains("AES-GCM"));
    }
}
