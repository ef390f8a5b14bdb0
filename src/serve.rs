//! `cosos serve` (and `sync --watch`, `folder --watch`): the web app and the local API on the
//! embedded store, optionally kept in sync with a relay and mirrored into a folder, until Ctrl-C.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{Context as _, Result};
use cosos_engine::folder::{Mirror, Watching, watch};
use cosos_engine::serve_record::ServeRecord;
use cosos_engine::sync::RelayTarget;
use cosos_engine::{Clock, EngineError, OpenOptions, Workspace};
use cosos_server::AppState;
use cosos_server::access::{self, Access};
use tokio_util::sync::CancellationToken;

/// Live sync alongside the local API.
pub enum LiveSync {
    /// No relay.
    Off,
    /// `serve --relay`: the app keeps running if sync fails for good.
    Alongside(RelayTarget),
    /// `sync --watch`: syncing is the job, so a failure ends the process.
    Only(RelayTarget),
}

/// A folder kept mirrored alongside the local API.
pub struct FolderJob {
    /// The folder.
    pub dir: PathBuf,
    /// File events or polling.
    pub watching: Watching,
    /// `folder --watch`: mirroring is the job, so a failure ends the process.
    pub fatal: bool,
}

/// Opens the home, serves (and syncs, and mirrors) until interrupted, then removes the serve
/// record and flushes the store.
pub async fn run(
    home: PathBuf,
    clock: Clock,
    addr: SocketAddr,
    live: LiveSync,
    folder: Option<FolderJob>,
) -> Result<()> {
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
    let mirrored_dir = folder.as_ref().map(|job| absolute(&job.dir));
    let app = cosos_server::app(AppState::new(workspace.clone()).with_folder(mirrored_dir)).layer(
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
    let stop = CancellationToken::new();
    // A job whose failure ends the process (`sync --watch`, `folder --watch`) cancels this.
    let job_failed = CancellationToken::new();
    let mirror_fatal = folder.as_ref().is_some_and(|job| job.fatal);
    let mirror = folder.map(|job| {
        let workspace = workspace.clone();
        let stop = stop.clone();
        let job_failed = job_failed.clone();
        tokio::spawn(async move {
            let outcome = mirror_folder(workspace, &job, stop).await;
            if let Err(e) = &outcome {
                eprintln!("error: the folder mirror stopped: {e}");
                if job.fatal {
                    job_failed.cancel();
                }
            }
            outcome
        })
    });
    let (relay, fatal) = match live {
        LiveSync::Off => (None, false),
        LiveSync::Alongside(relay) => (Some(relay), false),
        LiveSync::Only(relay) => (Some(relay), true),
    };
    let sync = relay.map(|relay| {
        println!("Syncing live with {}", relay.url());
        let workspace = workspace.clone();
        let stop = stop.clone();
        let job_failed = job_failed.clone();
        tokio::spawn(async move {
            let outcome = workspace.sync_live(&relay, stop.cancelled_owned()).await;
            if let Err(e) = &outcome {
                eprintln!("error: live sync stopped: {e}");
                if fatal {
                    job_failed.cancel();
                }
            }
            outcome
        })
    });
    let served = axum::serve(listener, app)
        .with_graceful_shutdown({
            let job_failed = job_failed.clone();
            async move {
                tokio::select! {
                    () = shutdown_signal() => {}
                    () = job_failed.cancelled() => {}
                }
            }
        })
        .await;
    stop.cancel();
    let synced = match sync {
        Some(task) => task.await.map_err(anyhow::Error::from).and_then(|r| Ok(r?)),
        None => Ok(()),
    };
    let mirrored = match mirror {
        Some(task) => task.await?,
        None => Ok(()),
    };
    record.remove(&home);
    workspace.close().await;
    served.context("the web server stopped with an error")?;
    if mirror_fatal {
        mirrored?;
    }
    if fatal { synced } else { Ok(()) }
}

/// Mirrors `job.dir` until `stop`, printing what each round did.
async fn mirror_folder(
    workspace: Workspace,
    job: &FolderJob,
    stop: CancellationToken,
) -> Result<(), EngineError> {
    let mirror = Mirror::open(workspace, &job.dir).await?;
    println!("Mirroring the workspace into {}", mirror.dir().display());
    watch(mirror, job.watching, stop.cancelled_owned(), |report| {
        crate::output::mirror_round(report)
    })
    .await
}

/// `dir` made absolute for display, as it was given when that fails.
fn absolute(dir: &std::path::Path) -> PathBuf {
    std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf())
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
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
