//! Dials a relay over a websocket with the token in an `Authorization` header (never in the URL,
//! so it stays out of proxies' logs), as a samod [`Dialer`]: samod redials with exponential
//! backoff and jitter whenever the connection drops.

use std::sync::Arc;

use futures::future::BoxFuture;
use futures::{SinkExt, StreamExt};
use samod::{DialError, Dialer, Transport};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::{HeaderValue, StatusCode, header};
use tokio_tungstenite::tungstenite::{self, Message};
use url::Url;

use super::SyncError;

/// A relay address and the token for it.
#[derive(Clone)]
pub struct RelayTarget {
    url: Url,
    token: Arc<str>,
}

impl std::fmt::Debug for RelayTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The token stays out of every log line and error message.
        f.debug_struct("RelayTarget")
            .field("url", &self.url.as_str())
            .finish()
    }
}

impl RelayTarget {
    /// Checks the URL (`ws://` or `wss://`, no credentials or token in it) and the token.
    pub fn new(url: &str, token: &str) -> Result<RelayTarget, SyncError> {
        let bad = |why: &str| SyncError::BadRelay(format!("{why} (got {:?})", redact(url)));
        let parsed = Url::parse(url.trim()).map_err(|e| bad(&format!("not a URL: {e}")))?;
        if !matches!(parsed.scheme(), "ws" | "wss") {
            return Err(bad("the relay URL must start with ws:// or wss://"));
        }
        if parsed.password().is_some() || parsed.query_pairs().any(|(k, _)| k == "token") {
            return Err(bad("pass the token with --token, not inside the URL"));
        }
        let token = token.trim();
        if token.is_empty() || token.len() > 512 || !token.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(SyncError::BadToken);
        }
        Ok(RelayTarget {
            url: parsed,
            token: Arc::from(token),
        })
    }

    /// The relay URL (without the token).
    pub fn url(&self) -> &Url {
        &self.url
    }
}

/// Keeps only scheme, host and path of something that may contain a secret.
fn redact(url: &str) -> String {
    match Url::parse(url.trim()) {
        Ok(u) => format!(
            "{}://{}{}",
            u.scheme(),
            u.host_str().unwrap_or(""),
            u.path()
        ),
        Err(_) => "an unparsable URL".to_string(),
    }
}

/// The samod dialer for a relay.
pub struct RelayDialer(pub RelayTarget);

impl Dialer for RelayDialer {
    type Error = SyncError;

    fn url(&self) -> Url {
        self.0.url.clone()
    }

    fn connect(&self) -> BoxFuture<'static, Result<Transport, DialError<SyncError>>> {
        let target = self.0.clone();
        Box::pin(async move {
            let mut request = target
                .url
                .as_str()
                .into_client_request()
                .map_err(|e| DialError::PermanentFailure(SyncError::BadRelay(e.to_string())))?;
            let bearer = HeaderValue::from_str(&format!("Bearer {}", target.token))
                .map_err(|_| DialError::PermanentFailure(SyncError::BadToken))?;
            request.headers_mut().insert(header::AUTHORIZATION, bearer);
            let (socket, _) = match tokio_tungstenite::connect_async(request).await {
                Ok(connected) => connected,
                Err(tungstenite::Error::Http(response))
                    if response.status() == StatusCode::UNAUTHORIZED =>
                {
                    return Err(DialError::PermanentFailure(SyncError::Unauthorized));
                }
                Err(e) => return Err(DialError::transient(SyncError::Connect(e.to_string()))),
            };
            let (sink, stream) = socket.split();
            let inbound = stream.filter_map(|message| async move {
                match message {
                    Ok(Message::Binary(bytes)) => Some(Ok(bytes.to_vec())),
                    Ok(Message::Text(_)) => Some(Err(SyncError::Protocol(
                        "the relay sent a text frame".into(),
                    ))),
                    Ok(_) => None,
                    Err(e) => Some(Err(SyncError::Connect(e.to_string()))),
                }
            });
            let outbound = sink
                .with(|bytes: Vec<u8>| async move {
                    Ok::<_, tungstenite::Error>(Message::Binary(bytes.into()))
                })
                .sink_map_err(|e| SyncError::Connect(e.to_string()));
            Ok(Transport::new(Box::pin(inbound), Box::pin(outbound)))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_tokens_in_urls_and_other_schemes() {
        assert!(RelayTarget::new("ws://127.0.0.1:7979/sync", "cosr_x").is_ok());
        assert!(matches!(
            RelayTarget::new("http://127.0.0.1/sync", "t"),
            Err(SyncError::BadRelay(_))
        ));
        let err = RelayTarget::new("ws://127.0.0.1/sync?token=secret123", "t").unwrap_err();
        assert!(!err.to_string().contains("secret123"), "{err}");
        assert!(matches!(
            RelayTarget::new("ws://h/sync", " "),
            Err(SyncError::BadToken)
        ));
        let target = RelayTarget::new("ws://h/sync", "cosr_secret").unwrap();
        assert!(!format!("{target:?}").contains("cosr_secret"));
    }
}
