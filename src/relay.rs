//! `cosos relay`: the sync relay until Ctrl-C, and `cosos relay token ...`.

use std::num::NonZeroU32;
use std::path::Path;
use std::time::Duration;

use anyhow::{Context as _, Result};
use cosos_engine::Clock;
use cosos_server::relay::tokens::TokenFile;
use cosos_server::relay::transport::InboundLimits;
use cosos_server::relay::{Limits, Relay, default_data_dir};
use tokio_util::sync::CancellationToken;

use crate::cli::{RelayAction, RelayArgs, TokenAction};
use crate::output;

/// Runs the relay, or the token subcommand.
pub async fn run(home: &Path, clock: Clock, args: RelayArgs) -> Result<()> {
    let data = args.data.clone().unwrap_or_else(|| default_data_dir(home));
    match args.action {
        Some(RelayAction::Token(action)) => token(&TokenFile::new(&data), clock, action),
        None => serve(&data, &args).await,
    }
}

fn token(file: &TokenFile, clock: Clock, action: TokenAction) -> Result<()> {
    match action {
        TokenAction::Add { name, json } => {
            let (token, record) = file.add(&name, clock.now())?;
            if json {
                output::json(&serde_json::json!({
                    "token": token,
                    "id": record.id,
                    "workspace": record.workspace,
                }))
            } else {
                println!("{token}");
                eprintln!(
                    "token {} for workspace {:?}: keep it secret, it is not shown again",
                    record.id, record.workspace
                );
                Ok(())
            }
        }
        TokenAction::List(f) => {
            let tokens = file.list()?;
            if f.json {
                let rows: Vec<_> = tokens
                    .iter()
                    .map(|t| {
                        serde_json::json!({
                            "id": t.id,
                            "workspace": t.workspace,
                            "created_at": t.created_at,
                            "revoked_at": t.revoked_at,
                        })
                    })
                    .collect();
                return output::json(&rows);
            }
            if tokens.is_empty() {
                println!("No tokens yet. Add one with `cosos relay token add NAME`.");
            }
            for t in tokens {
                let state = t
                    .revoked_at
                    .as_deref()
                    .map_or("live".to_string(), |at| format!("revoked {at}"));
                println!(
                    "{}  {:<24} created {}  {state}",
                    t.id, t.workspace, t.created_at
                );
            }
            Ok(())
        }
        TokenAction::Revoke { id } => {
            let record = file.revoke(&id, clock.now())?;
            println!(
                "Revoked token {} (workspace {:?}).",
                record.id, record.workspace
            );
            Ok(())
        }
    }
}

fn limits(args: &RelayArgs) -> Result<Limits> {
    let rate = NonZeroU32::new(args.messages_per_second)
        .context("--messages-per-second must be at least 1")?;
    anyhow::ensure!(
        args.max_message_bytes >= 1024,
        "--max-message-bytes must be at least 1024"
    );
    anyhow::ensure!(
        args.idle_timeout_secs >= 1,
        "--idle-timeout-secs must be at least 1"
    );
    anyhow::ensure!(
        args.connections_per_token >= 1,
        "--connections-per-token must be at least 1"
    );
    Ok(Limits {
        max_message_bytes: args.max_message_bytes,
        inbound: InboundLimits {
            messages_per_second: rate,
            burst: rate.saturating_mul(NonZeroU32::new(4).unwrap_or(NonZeroU32::MIN)),
            idle_timeout: Duration::from_secs(args.idle_timeout_secs),
            max_new_documents: args.max_new_documents,
        },
        connections_per_token: args.connections_per_token,
        evict_after: args.evict_idle_secs.map(Duration::from_secs),
        ..Limits::default()
    })
}

async fn serve(data: &Path, args: &RelayArgs) -> Result<()> {
    let relay = Relay::open(data, limits(args)?)?;
    let listener = tokio::net::TcpListener::bind(args.addr)
        .await
        .with_context(|| format!("cannot listen on {}", args.addr))?;
    let local = listener.local_addr()?;
    println!(
        "cosos relay listening on ws://{local}/sync  (data in {}; Ctrl-C to stop)",
        data.display()
    );
    let shutdown = CancellationToken::new();
    let upkeep = tokio::spawn({
        let relay = relay.clone();
        let shutdown = shutdown.clone();
        async move { relay.maintain(shutdown).await }
    });
    let served = axum::serve(listener, relay.router())
        .with_graceful_shutdown(crate::serve::shutdown_signal())
        .await;
    shutdown.cancel();
    let _ = upkeep.await;
    served.context("the relay stopped with an error")
}
