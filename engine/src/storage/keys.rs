//! How samod keys map to redb string keys, and the key ranges that make a prefix scan.
//!
//! A key with no namespace is its components joined by `/` (`doc/incremental/hash`). A key in
//! namespace `ns` is `/ns//` followed by the same (`/ws/acme//doc/incremental/hash`). This keeps
//! namespaces apart by construction:
//! - samod components are never empty, so an un-namespaced key never starts with `/`;
//! - a namespace is non-empty components joined by `/`, so it contains no `//`, does not start or
//!   end with `/`, and the first `//` of a stored key ends its namespace. Namespace `ws` therefore
//!   never sees the keys of `ws/acme`, nor the reverse.

use std::ops::Bound;

use samod::storage::StorageKey;

use super::StorageError;

/// A half-open or closed range of encoded keys.
pub(crate) type KeyRange = (Bound<String>, Bound<String>);

/// A validated namespace and its encoded key prefix.
#[derive(Debug, Clone)]
pub(crate) struct Namespace {
    name: String,
    /// `""` for no namespace, `/name//` otherwise.
    encoded: String,
}

impl Namespace {
    /// Checks `name` and builds its key prefix.
    pub(crate) fn parse(name: &str) -> Result<Self, StorageError> {
        if name.is_empty() {
            return Ok(Namespace {
                name: String::new(),
                encoded: String::new(),
            });
        }
        if name.split('/').any(str::is_empty) {
            return Err(StorageError::InvalidNamespace(name.to_string()));
        }
        Ok(Namespace {
            name: name.to_string(),
            encoded: format!("/{name}//"),
        })
    }

    /// The namespace as given.
    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    /// The redb key for `key` in this namespace.
    pub(crate) fn encode(&self, key: &StorageKey) -> String {
        let mut out = self.encoded.clone();
        for (i, component) in key.into_iter().enumerate() {
            if i > 0 {
                out.push('/');
            }
            out.push_str(component);
        }
        out
    }

    /// The samod key behind a redb key of this namespace.
    pub(crate) fn decode(&self, raw: &str) -> Result<StorageKey, StorageError> {
        let invalid = || StorageError::InvalidKey(format!("{raw:?} in namespace {:?}", self.name));
        let rest = raw
            .strip_prefix(self.encoded.as_str())
            .ok_or_else(invalid)?;
        // "".split('/') yields one empty component, which from_parts would reject: the empty
        // key is legal (samod never writes it, but the trait allows it), so special-case it.
        if rest.is_empty() {
            return StorageKey::from_parts(std::iter::empty::<&str>()).map_err(|_| invalid());
        }
        StorageKey::from_parts(rest.split('/')).map_err(|_| invalid())
    }

    /// The ranges holding exactly the keys `k` of this namespace with `prefix.is_prefix_of(k)`.
    ///
    /// Component-wise matching means prefix `abc` takes `abc` and `abc/...` but not `abcd/...`:
    /// everything starting with `abc/` lies in `[abc/, abc0)` because `0` is the byte after `/`.
    pub(crate) fn ranges(&self, prefix: &StorageKey) -> Vec<KeyRange> {
        if prefix.into_iter().next().is_some() {
            let base = self.encode(prefix);
            let children = (
                Bound::Included(format!("{base}/")),
                Bound::Excluded(format!("{base}0")),
            );
            vec![
                (Bound::Included(base.clone()), Bound::Included(base)),
                children,
            ]
        } else if let Some(without_last_slash) = self.encoded.strip_suffix('/') {
            // The whole namespace: every key starting with `/ns//`.
            vec![(
                Bound::Included(self.encoded.clone()),
                Bound::Excluded(format!("{without_last_slash}0")),
            )]
        } else {
            // No namespace: every key not starting with `/` (those belong to namespaces).
            vec![
                (Bound::Unbounded, Bound::Excluded("/".to_string())),
                (Bound::Included("0".to_string()), Bound::Unbounded),
            ]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(parts: &[&str]) -> StorageKey {
        StorageKey::from_parts(parts).expect("test keys are valid")
    }

    fn in_ranges(ranges: &[KeyRange], raw: &str) -> bool {
        use std::ops::RangeBounds;
        ranges.iter().any(|r| {
            let bounds = (
                r.0.as_ref().map(String::as_str),
                r.1.as_ref().map(String::as_str),
            );
            RangeBounds::<str>::contains(&bounds, raw)
        })
    }

    #[test]
    fn namespaces_are_validated() {
        assert!(Namespace::parse("").is_ok());
        assert!(Namespace::parse("ws/acme").is_ok());
        for bad in ["/", "/ws", "ws/", "ws//acme"] {
            assert!(Namespace::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn encode_decode_round_trip() {
        for ns in ["", "ws", "ws/acme"] {
            let ns = Namespace::parse(ns).expect("valid namespace");
            for parts in [&[][..], &["a"], &["doc", "incremental", "h"]] {
                let k = key(parts);
                assert_eq!(ns.decode(&ns.encode(&k)).expect("decodes"), k);
            }
        }
        let ws = Namespace::parse("ws").expect("valid namespace");
        assert_eq!(ws.encode(&key(&["a", "b"])), "/ws//a/b");
        assert!(ws.decode("/ws/acme//a").is_err());
        assert!(Namespace::parse("").expect("valid").decode("a//b").is_err());
    }

    #[test]
    fn ranges_are_component_wise() {
        let ns = Namespace::parse("").expect("valid namespace");
        let r = ns.ranges(&key(&["abc"]));
        assert!(in_ranges(&r, "abc"));
        assert!(in_ranges(&r, "abc/x"));
        assert!(!in_ranges(&r, "abcd/x"));
        assert!(!in_ranges(&r, "abc0"));
        assert!(!in_ranges(&r, "ab"));
    }

    #[test]
    fn empty_prefix_stays_in_its_namespace() {
        let root = Namespace::parse("").expect("valid namespace");
        let ws = Namespace::parse("ws").expect("valid namespace");
        let acme = Namespace::parse("ws/acme").expect("valid namespace");
        let all = [&root, &ws, &acme];
        for owner in all {
            let stored = owner.encode(&key(&["d", "x"]));
            let empty = owner.encode(&key(&[]));
            for reader in all {
                let r = reader.ranges(&key(&[]));
                let same = std::ptr::eq(owner, reader);
                assert_eq!(
                    in_ranges(&r, &stored),
                    same,
                    "{stored:?} vs {:?}",
                    reader.name()
                );
                assert_eq!(
                    in_ranges(&r, &empty),
                    same,
                    "{empty:?} vs {:?}",
                    reader.name()
                );
            }
        }
    }
}
