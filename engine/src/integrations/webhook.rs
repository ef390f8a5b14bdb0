//! Verifying Stripe webhook signatures (`Stripe-Signature: t=<unix>,v1=<hex>[,v1=...]`).
//!
//! v1 is HMAC-SHA256 with the endpoint secret (used as-is, `whsec_` prefix included) over
//! `"{t}.{raw body}"`. Any one `v1` may match (several appear while a secret rotates); `v0` and
//! unknown schemes are ignored. The timestamp must be within 300 s of now, so a captured request
//! cannot be replayed later. The comparison is constant-time (`Mac::verify_slice`).

use hmac::{Hmac, Mac};
use sha2::Sha256;
use thiserror::Error;

/// How far a signature's timestamp may be from now.
pub const TOLERANCE_SECS: i64 = 300;

/// Why a webhook was refused. None of these quote the secret or the signature.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum SignatureError {
    /// No `Stripe-Signature` header.
    #[error("missing Stripe-Signature header")]
    Missing,
    /// The header has no timestamp or no v1 signature.
    #[error("malformed Stripe-Signature header")]
    Malformed,
    /// The timestamp is too far from now.
    #[error("the signature timestamp is more than {TOLERANCE_SECS} s from now")]
    Stale,
    /// No v1 signature matches.
    #[error("no signature matches the payload")]
    Mismatch,
}

/// Checks `header` against `payload` (the raw body) and `secret`, at unix time `now`.
pub fn verify(
    payload: &[u8],
    header: Option<&str>,
    secret: &str,
    now: i64,
) -> Result<(), SignatureError> {
    let header = header.ok_or(SignatureError::Missing)?;
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        let Some((key, value)) = part.trim().split_once('=') else {
            continue;
        };
        match key {
            "t" => timestamp = value.parse::<i64>().ok(),
            "v1" => {
                if let Ok(bytes) = hex::decode(value) {
                    signatures.push(bytes);
                }
            }
            _ => {}
        }
    }
    let timestamp = timestamp.ok_or(SignatureError::Malformed)?;
    if signatures.is_empty() {
        return Err(SignatureError::Malformed);
    }
    if (now - timestamp).abs() > TOLERANCE_SECS {
        return Err(SignatureError::Stale);
    }
    let signed = [timestamp.to_string().as_bytes(), b".", payload].concat();
    let matches = signatures.iter().any(|candidate| {
        Hmac::<Sha256>::new_from_slice(secret.as_bytes())
            .map(|mut mac| {
                mac.update(&signed);
                mac.verify_slice(candidate).is_ok()
            })
            .unwrap_or(false)
    });
    if matches {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
}

/// A `Stripe-Signature` header for `payload` (for tests and for replaying events locally).
pub fn sign(payload: &[u8], secret: &str, timestamp: i64) -> String {
    let signed = [timestamp.to_string().as_bytes(), b".", payload].concat();
    let digest = Hmac::<Sha256>::new_from_slice(secret.as_bytes())
        .map(|mut mac| {
            mac.update(&signed);
            hex::encode(mac.finalize().into_bytes())
        })
        .unwrap_or_default();
    format!("t={timestamp},v1={digest}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &[u8] =
        br#"{"id":"evt_test","object":"event","type":"customer.subscription.updated"}"#;
    const SECRET: &str = "whsec_test_secret";
    const T: i64 = 1_700_000_000;

    #[test]
    fn matches_the_reference_vector() {
        let expected = "f3d5ad4cb1ebd544248439c30e35943136d95494ddc55f5ec999441bcbdd4f90";
        assert_eq!(sign(BODY, SECRET, T), format!("t={T},v1={expected}"));
        let header = format!("t={T},v1={expected}");
        assert_eq!(verify(BODY, Some(&header), SECRET, T + 10), Ok(()));
    }

    #[test]
    fn accepts_any_v1_and_ignores_v0() {
        let good = sign(BODY, SECRET, T);
        let v1 = good.split("v1=").nth(1).unwrap();
        let header = format!("t={T},v0=00ff,v1={},v1={v1}", "ab".repeat(32));
        assert_eq!(verify(BODY, Some(&header), SECRET, T), Ok(()));
    }

    #[test]
    fn refuses_tampering_wrong_secrets_staleness_and_garbage() {
        let header = sign(BODY, SECRET, T);
        let tampered = br#"{"id":"evt_test","object":"event","type":"customer.deleted"}"#;
        assert_eq!(
            verify(tampered, Some(&header), SECRET, T),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(BODY, Some(&header), "whsec_other", T),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(BODY, Some(&header), SECRET, T + 301),
            Err(SignatureError::Stale)
        );
        assert_eq!(
            verify(BODY, Some(&header), SECRET, T - 301),
            Err(SignatureError::Stale)
        );
        assert_eq!(verify(BODY, None, SECRET, T), Err(SignatureError::Missing));
        for bad in [
            "",
            "t=abc,v1=00",
            "v1=00",
            &format!("t={T}"),
            &format!("t={T},v1=zz"),
        ] {
            assert_eq!(
                verify(BODY, Some(bad), SECRET, T),
                Err(SignatureError::Malformed),
                "{bad}"
            );
        }
    }
}
