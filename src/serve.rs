//! `cosos serve`: the web app and the local API on the embedded store, until Ctrl-C.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{Context as _, Result};
use cosos_engine::serve_record::ServeRecord;
use cosos_engine::{Clock, OpenOptions, Workspace};
use cosos_server::AppState;
use cosos_server::access::{self, Access};

/// Opens the home, serves until interrupted, then removes the serve record and flushes the store.
pub async fn run(home: PathBuf, clock: Clock, addr: SocketAddr) -> Result<()> {
    let workspace = Workspace::open(OpenOptions {
        home: home.clone(),
        clock,
    })
    .await?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    let local = listener.local_addr()?;
    let record = ServeRecord::new(format!("http://{local}"));
    record.write(&home)?;
    let app = cosos_server::app(AppState::new(workspace.clone())).layer(
        axum::middleware::from_fn_with_state(Access::new(local, &record.token), access::check),
    );
    if local.ip().is_loopback() {
        println!("cosos is running at http://{local}/  (Ctrl-C to stop)");
    } else {
        println!(
            "cosos is running at http://{local}/?token={}  (this address is reachable from other machines: keep the token secret; Ctrl-C to stop)",
            record.token
        );
    }
    let served = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await;
    record.remove(&home);
    workspace.close().await;
    served.context("the web server stopped with an error")
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
