//! Runs each subcommand against the workspace.

use std::io::Read;
use std::path::Path;

use anyhow::{Context as _, Result};
use cosos_artifacts::{ArtifactError, Context, Request};
use cosos_engine::folder::Watching;
use cosos_engine::integrations::pull::PullSource as EnginePullSource;
use cosos_engine::integrations::wire::{ConnectPostHog, ConnectStripe, PullBody};
use cosos_engine::sync::RelayTarget;
use cosos_engine::{ArtifactEdit, Clock, EngineError, OpenOptions, Workspace, home};

use crate::backend::Backend;
use crate::cli::{Cli, Command, ConnectTarget, EditArgs, GenerateArgs, PullSource};
use crate::output;
use crate::remote::{Remote, RemoteError};
use crate::serve::{FolderJob, LiveSync};

/// The exit code for an error: 2 for input the founder should rephrase, 1 for everything else.
pub fn exit_code(err: &anyhow::Error) -> u8 {
    if let Some(remote) = err.downcast_ref::<RemoteError>() {
        let rephrase = remote.code.as_deref() == Some("no_kind_fits")
            || (remote.status == 422 && remote.detail.contains("prompt"));
        return if rephrase { 2 } else { 1 };
    }
    match err.downcast_ref::<EngineError>() {
        Some(EngineError::Generate(
            ArtifactError::NoKindFits(_)
            | ArtifactError::EmptyPrompt
            | ArtifactError::PromptTooLong { .. },
        )) => 2,
        _ => 1,
    }
}

/// Where `sync --watch` and `folder --watch` serve the local API: other commands find it in the
/// serve record, so any free port will do.
const LOOPBACK_ANY_PORT: std::net::SocketAddr =
    std::net::SocketAddr::new(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST), 0);
/// How often `folder --watch --poll` scans the folder.
const POLL_EVERY: std::time::Duration = std::time::Duration::from_millis(500);

/// Runs the parsed command line.
pub async fn run(cli: Cli) -> Result<()> {
    let clock = Clock::from_env()?;
    let home = home::resolve(cli.home.as_deref())?;
    let command = match cli.command {
        Command::Serve {
            addr,
            relay,
            folder,
        } => {
            let live = match (relay.url, relay.token) {
                (Some(url), Some(token)) => LiveSync::Alongside(RelayTarget::new(&url, &token)?),
                (Some(_), None) => anyhow::bail!("--relay needs --token (or COSOS_RELAY_TOKEN)"),
                (None, _) => LiveSync::Off,
            };
            let folder = folder.map(|dir| FolderJob {
                dir,
                watching: Watching::Events,
                fatal: false,
            });
            return crate::serve::run(home, clock, addr, live, folder).await;
        }
        Command::Folder(args) if args.watch => {
            let folder = FolderJob {
                dir: args.dir,
                watching: if args.poll {
                    Watching::Poll(POLL_EVERY)
                } else {
                    Watching::Events
                },
                fatal: true,
            };
            return crate::serve::run(home, clock, LOOPBACK_ANY_PORT, LiveSync::Off, Some(folder))
                .await;
        }
        Command::Sync {
            relay, watch: true, ..
        } => {
            let live = LiveSync::Only(RelayTarget::new(&relay.relay, &relay.token)?);
            return crate::serve::run(home, clock, LOOPBACK_ANY_PORT, live, None).await;
        }
        Command::Clone {
            workspace_url,
            relay,
            json,
        } => {
            let relay = RelayTarget::new(&relay.relay, &relay.token)?;
            let (ws, summary) =
                Workspace::clone_from(OpenOptions { home, clock }, &workspace_url, &relay).await?;
            ws.close().await;
            return output::sync_summary(&summary, json);
        }
        Command::Relay(args) => return crate::relay::run(&home, clock, args).await,
        other => other,
    };
    let backend = match Workspace::open(OpenOptions {
        home: home.clone(),
        clock,
    })
    .await
    {
        Ok(ws) => Backend::Local(ws),
        Err(EngineError::HomeInUse(path)) => match Remote::from_home(&home) {
            Some(remote) => Backend::Remote(remote),
            None => return Err(EngineError::HomeInUse(path).into()),
        },
        Err(e) => return Err(e.into()),
    };
    let result = dispatch(&backend, command, &home, clock).await;
    backend.close().await;
    result
}

async fn dispatch(ws: &Backend, command: Command, home: &Path, clock: Clock) -> Result<()> {
    match command {
        Command::Init { name, json } => {
            if let Some(name) = name {
                ws.rename(&name).await?;
            }
            output::workspace(&ws.info().await?, json)
        }
        Command::Workspace(f) => output::workspace(&ws.info().await?, f.json),
        Command::Generate(args) => generate(ws, args).await,
        Command::List(f) => output::list(&ws.list().await?, f.json),
        Command::Show { id, json, markdown } => {
            let record = ws.get(&id).await?;
            if json {
                output::json(&record)
            } else {
                output::artifact(&record, markdown)
            }
        }
        Command::Edit(args) => edit(ws, args).await,
        Command::Archive { id, undo, json } => {
            let edit = ArtifactEdit {
                archived: Some(!undo),
                ..Default::default()
            };
            let record = ws.edit(&id, edit).await?;
            if json {
                output::json(&record)
            } else {
                let verb = if undo { "Restored" } else { "Archived" };
                println!("{verb} \"{}\" ({})", record.title, record.slug);
                Ok(())
            }
        }
        Command::Prompts(f) => output::prompts(&ws.prompts().await?, f.json),
        Command::Connect(target) => connect(ws, target).await,
        Command::Disconnect { name, json } => {
            output::integration(&ws.disconnect(&name).await?, json)
        }
        Command::Pull { source, fx, json } => pull(ws, source, fx, json).await,
        Command::Metrics(f) => output::metrics(&ws.metrics().await?, f.json),
        Command::Insights(f) => output::insights(&ws.insights().await?, f.json),
        Command::Export(args) => crate::export::run(ws, home, clock, args).await,
        Command::Sync { relay, json, .. } => {
            output::sync_summary(&ws.sync_once(&relay.relay, &relay.token).await?, json)
        }
        Command::Folder(args) => {
            let report = ws.mirror_folder(&args.dir).await?;
            output::mirror_report(&report, &args.dir, args.json)
        }
        Command::Serve { .. } | Command::Relay(_) | Command::Clone { .. } => standalone_only(),
    }
}

/// Serving, relaying and syncing are handled before a backend is chosen: they own their stores.
fn standalone_only() -> Result<()> {
    anyhow::bail!("this command cannot run through another cosos process")
}

async fn connect(ws: &Backend, target: ConnectTarget) -> Result<()> {
    match target {
        ConnectTarget::Stripe {
            api_key,
            api_key_env,
            api_base,
            webhook_secret,
            json,
        } => {
            let api_key = match (api_key, api_key_env) {
                (Some(key), _) => key,
                (None, Some(var)) => std::env::var(&var)
                    .with_context(|| format!("the environment variable {var} is not set"))?,
                (None, None) => anyhow::bail!("give --api-key or --api-key-env"),
            };
            let body = ConnectStripe {
                api_key,
                api_base,
                webhook_secret,
            };
            output::integration(&ws.connect_stripe(&body).await?, json)
        }
        ConnectTarget::Posthog {
            api_key,
            project_id,
            host,
            json,
        } => {
            let body = ConnectPostHog {
                api_key,
                project_id,
                host,
            };
            output::integration(&ws.connect_posthog(&body).await?, json)
        }
    }
}

async fn pull(ws: &Backend, source: PullSource, fx: Vec<String>, json: bool) -> Result<()> {
    let body = PullBody {
        source: match source {
            PullSource::Stripe => EnginePullSource::Stripe,
            PullSource::Posthog => EnginePullSource::Posthog,
            PullSource::All => EnginePullSource::All,
        },
        fx,
    };
    let bar = output::pull_progress();
    let outcome = ws
        .pull(&body, |p| {
            if let Some(bar) = &bar {
                bar.set_message(format!(
                    "{} subscriptions, {} requests",
                    p.subscriptions, p.requests
                ));
            }
        })
        .await;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    output::pull(&outcome?, source, json)
}

async fn generate(ws: &Backend, args: GenerateArgs) -> Result<()> {
    let prompt = if args.prompt == "-" {
        read_stdin("prompt")?
    } else {
        args.prompt
    };
    let request = Request {
        prompt,
        context: Context {
            stage: args.stage,
            goal: args.goal,
            challenge: args.challenge,
        },
        kind: args.kind,
    };
    let record = ws.generate(&request).await?;
    if args.json {
        output::json(&record)
    } else {
        output::artifact(&record, false)
    }
}

async fn edit(ws: &Backend, args: EditArgs) -> Result<()> {
    let notes = match args.notes {
        Some(n) if n == "-" => Some(read_stdin("notes")?),
        other => other,
    };
    let mut actions_done = Vec::new();
    for (list, done) in [(&args.done, true), (&args.undone, false)] {
        for &n in list {
            let index = n
                .checked_sub(1)
                .ok_or_else(|| anyhow::anyhow!("next actions are numbered from 1"))?;
            actions_done.push((index, done));
        }
    }
    if args.title.is_none() && notes.is_none() && actions_done.is_empty() {
        anyhow::bail!("nothing to edit: pass --title, --notes, --done or --undone");
    }
    let record = ws
        .edit(
            &args.id,
            ArtifactEdit {
                title: args.title,
                notes,
                archived: None,
                actions_done,
            },
        )
        .await?;
    if args.json {
        output::json(&record)
    } else {
        println!("Updated \"{}\" ({})", record.title, record.slug);
        Ok(())
    }
}

fn read_stdin(what: &str) -> Result<String> {
    let mut s = String::new();
    std::io::stdin()
        .read_to_string(&mut s)
        .with_context(|| format!("cannot read the {what} from standard input"))?;
    Ok(s)
}
