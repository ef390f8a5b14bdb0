//! A connection to a relay, and waiting until a document is in sync through it.

use std::sync::Arc;
use std::time::{Duration, Instant};

use samod::{BackoffConfig, DialerHandle, DocHandle};

use super::{RelayDialer, RelayTarget, SyncError, sync_err};
use crate::error::EngineError;

/// A connection to a relay for one workspace.
pub struct RelaySession {
    dialer: DialerHandle<SyncError>,
    pub(super) relay: RelayTarget,
}

impl RelaySession {
    /// Dials `relay` from `repo` and waits for the connection (samod retries with backoff and
    /// jitter until `connect_timeout`).
    pub async fn connect(
        repo: &samod::Repo,
        relay: &RelayTarget,
        connect_timeout: Duration,
    ) -> Result<RelaySession, EngineError> {
        let backoff = BackoffConfig {
            initial_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(10),
            max_retries: None,
        };
        let dialer = repo.dial(backoff, Arc::new(RelayDialer(relay.clone())))?;
        match tokio::time::timeout(connect_timeout, dialer.established()).await {
            Ok(Ok(_peer)) => Ok(RelaySession {
                dialer,
                relay: relay.clone(),
            }),
            Ok(Err(failed)) => {
                dialer.close();
                Err(sync_err(failure_of(failed)))
            }
            Err(_) => {
                dialer.close();
                Err(sync_err(SyncError::Connect(format!(
                    "no connection to {} within {} s",
                    relay.url(),
                    connect_timeout.as_secs()
                ))))
            }
        }
    }

    /// Waits until the relay has everything `handle` has and the other way round, following
    /// reconnections, until `deadline`.
    pub(super) async fn settle(&self, handle: &DocHandle, deadline: Instant) -> Result<(), ()> {
        loop {
            if Instant::now() >= deadline {
                return Err(());
            }
            let Some(conn) = self.dialer.connection_id() else {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            };
            let both = async {
                handle.they_have_our_changes(conn).await;
                handle.we_have_their_changes(conn).await;
            };
            // A short wait, then look again: the connection may have been replaced meanwhile.
            if tokio::time::timeout(Duration::from_secs(1), both)
                .await
                .is_ok()
            {
                return Ok(());
            }
        }
    }

    /// Closes the connection.
    pub fn close(self) {
        self.dialer.close();
    }
}

/// What a dialer's failure means for the founder.
fn failure_of(failed: samod::DialerFailed<SyncError>) -> SyncError {
    match failed {
        samod::DialerFailed::PermanentFailure(e) => match e.as_ref() {
            SyncError::Unauthorized => SyncError::Unauthorized,
            other => SyncError::Connect(other.to_string()),
        },
        samod::DialerFailed::MaxRetriesReached => {
            SyncError::Connect("gave up after the maximum number of retries".into())
        }
    }
}
