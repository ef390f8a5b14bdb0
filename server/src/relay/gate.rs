//! Keeps messages about documents a workspace does not have away from samod.
//!
//! samod keeps an actor in memory for every document id any message names, found or not, for as
//! long as the process lives. A peer naming thousands of made-up ids would grow the relay's
//! memory without bound. The gate reads each inbound frame's type and document id only; for a
//! document that is neither in the workspace's store nor announced by a `sync` on some
//! connection:
//! - a `request` is answered `doc-unavailable` right here, which is what the repo would have said;
//! - `doc-unavailable`, `ephemeral` and `remote-heads-changed` are dropped: there is nothing to
//!   tell a document that does not exist;
//! - a `sync` creates the document (a device pushing a new artifact), and the transport counts
//!   these per connection against a cap.

use std::collections::HashSet;
use std::sync::Mutex;

use cosos_engine::storage::RedbStorage;
use samod::DocumentId;
use samod::storage::StorageKey;

/// What to do with an inbound frame.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Hand it to samod.
    Forward,
    /// Hand it to samod: it creates a document this workspace did not have.
    ForwardNew,
    /// Send this reply instead, and drop the frame.
    Reply(Vec<u8>),
    /// Drop the frame.
    Drop,
}

/// One workspace's gate.
pub struct Gate {
    storage: RedbStorage,
    relay_peer: String,
    /// Documents peers have sent changes for, which may be in memory before they are in store.
    announced: Mutex<HashSet<String>>,
}

/// The fields of a frame the gate looks at.
#[derive(Debug, Default, PartialEq, Eq)]
struct Header {
    kind: String,
    sender: String,
    document: Option<String>,
}

impl Gate {
    /// A gate for the workspace stored in `storage`, whose repo has peer id `relay_peer`.
    pub fn new(storage: RedbStorage, relay_peer: String) -> Gate {
        Gate {
            storage,
            relay_peer,
            announced: Mutex::default(),
        }
    }

    /// Decides about one inbound frame. Frames it cannot read go to samod, which closes the
    /// connection on a decode error.
    pub async fn inspect(&self, frame: &[u8]) -> Verdict {
        let Some(header) = header(frame) else {
            return Verdict::Forward;
        };
        let Some(document) = header.document else {
            return Verdict::Forward;
        };
        let kind = header.kind.as_str();
        if !matches!(
            kind,
            "sync" | "request" | "doc-unavailable" | "ephemeral" | "remote-heads-changed"
        ) {
            return Verdict::Forward;
        }
        if self.known(&document).await {
            return Verdict::Forward;
        }
        match kind {
            "sync" => {
                self.lock().insert(document);
                Verdict::ForwardNew
            }
            "request" => {
                Verdict::Reply(doc_unavailable(&self.relay_peer, &header.sender, &document))
            }
            _ => Verdict::Drop,
        }
    }

    /// Whether the workspace has the document: announced on some connection, or stored. A
    /// stored one is remembered, so the store is read once per document.
    async fn known(&self, document: &str) -> bool {
        if self.lock().contains(document) {
            return true;
        }
        let stored = self.stored(document).await;
        if stored {
            self.lock().insert(document.to_string());
        }
        stored
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashSet<String>> {
        self.announced
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    async fn stored(&self, document: &str) -> bool {
        let Ok(prefix) = StorageKey::from_parts([document]) else {
            return true;
        };
        let storage = self.storage.clone();
        // On a read error, let samod look: it reports the store failure its own way.
        tokio::task::spawn_blocking(move || storage.has_prefix_blocking(&prefix).unwrap_or(true))
            .await
            .unwrap_or(true)
    }
}

/// Reads `type`, `senderId` and `documentId` (a bs58check string or the raw 16 bytes) from a CBOR
/// map, skipping everything else.
fn header(frame: &[u8]) -> Option<Header> {
    let mut d = minicbor::Decoder::new(frame);
    let len = d.map().ok()??;
    let mut header = Header::default();
    for _ in 0..len {
        match d.str().ok()? {
            "type" => header.kind = d.str().ok()?.to_string(),
            "senderId" => header.sender = d.str().ok()?.to_string(),
            "documentId" => {
                let id = if d.probe().str().is_ok() {
                    d.str().ok()?.parse::<DocumentId>().ok()?
                } else {
                    DocumentId::try_from(d.bytes().ok()?.to_vec()).ok()?
                };
                header.document = Some(id.to_string());
            }
            _ => d.skip().ok()?,
        }
    }
    Some(header)
}

/// The protocol's `doc-unavailable` message.
fn doc_unavailable(sender: &str, target: &str, document: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let mut e = minicbor::Encoder::new(&mut out);
    // Writing to a Vec cannot fail.
    let _ = e
        .map(4)
        .and_then(|e| e.str("type")?.str("doc-unavailable"))
        .and_then(|e| e.str("senderId")?.str(sender))
        .and_then(|e| e.str("targetId")?.str(target))
        .and_then(|e| e.str("documentId")?.str(document));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(kind: &str, document: &str) -> Vec<u8> {
        let mut out = Vec::new();
        let mut e = minicbor::Encoder::new(&mut out);
        e.map(4).unwrap();
        e.str("type").unwrap().str(kind).unwrap();
        e.str("padding").unwrap().bytes(&[1, 2, 3]).unwrap();
        e.str("senderId").unwrap().str("device").unwrap();
        e.str("documentId").unwrap().str(document).unwrap();
        out
    }

    fn gate() -> (tempfile::TempDir, Gate) {
        let dir = tempfile::tempdir().unwrap();
        let db = redb::Database::create(dir.path().join("g.redb")).unwrap();
        let storage = RedbStorage::new(std::sync::Arc::new(db)).unwrap();
        (
            dir,
            Gate::new(storage.namespaced("ws/acme").unwrap(), "relay".into()),
        )
    }

    #[tokio::test]
    async fn unknown_documents_are_answered_here_and_known_ones_forwarded() {
        let (_dir, gate) = gate();
        let doc = DocumentId::new(&mut rand::rng()).to_string();
        let Verdict::Reply(reply) = gate.inspect(&frame("request", &doc)).await else {
            panic!("an unknown document is unavailable");
        };
        let parsed = header(&reply).unwrap();
        assert_eq!(parsed.kind, "doc-unavailable");
        assert_eq!(parsed.sender, "relay");
        assert_eq!(parsed.document.as_deref(), Some(doc.as_str()));

        // Nothing to say about a document that does not exist.
        for kind in ["doc-unavailable", "ephemeral", "remote-heads-changed"] {
            assert_eq!(
                gate.inspect(&frame(kind, &doc)).await,
                Verdict::Drop,
                "{kind}"
            );
        }
        // Once a peer has sent changes for it, it exists: everything goes through.
        assert_eq!(
            gate.inspect(&frame("sync", &doc)).await,
            Verdict::ForwardNew
        );
        assert_eq!(gate.inspect(&frame("sync", &doc)).await, Verdict::Forward);
        assert_eq!(
            gate.inspect(&frame("request", &doc)).await,
            Verdict::Forward
        );
        assert_eq!(
            gate.inspect(&frame("ephemeral", &doc)).await,
            Verdict::Forward
        );

        // A document already in the store goes through too.
        let stored = DocumentId::new(&mut rand::rng());
        let key = StorageKey::incremental_path(&stored, automerge::ChangeHash([7; 32]));
        gate.storage
            .put_many_blocking(vec![(key, vec![1])])
            .unwrap();
        let stored = stored.to_string();
        assert_eq!(
            gate.inspect(&frame("request", &stored)).await,
            Verdict::Forward
        );
    }

    #[tokio::test]
    async fn unreadable_frames_and_other_kinds_go_to_samod() {
        let (_dir, gate) = gate();
        assert_eq!(gate.inspect(&[0xff, 0x00]).await, Verdict::Forward);
        assert_eq!(
            gate.inspect(&frame("request", "not-an-id")).await,
            Verdict::Forward
        );
        let doc = DocumentId::new(&mut rand::rng()).to_string();
        assert_eq!(gate.inspect(&frame("leave", &doc)).await, Verdict::Forward);
    }
}
