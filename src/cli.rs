//! Command-line arguments (DESIGN section 6).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use cosos_artifacts::{Goal, Kind, Stage};

/// cosos: one prompt, a specific, actionable artifact whose every number is computed.
#[derive(Debug, Parser)]
#[command(name = "cosos", version, about, max_term_width = 100)]
pub struct Cli {
    /// Home directory holding this device's store (default: COSOS_HOME, else the platform data dir).
    #[arg(long, global = true, value_name = "DIR")]
    pub home: Option<PathBuf>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the workspace (if needed) and optionally name it.
    Init {
        /// The workspace name.
        #[arg(long)]
        name: Option<String>,
        /// Print the workspace as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Show the workspace: id, URL, name and number of artifacts.
    Workspace(JsonFlag),
    /// Generate an artifact from a prompt ("-" reads the prompt from standard input).
    Generate(GenerateArgs),
    /// List artifacts.
    List(JsonFlag),
    /// Show one artifact by id, URL or slug.
    Show {
        /// Artifact id, automerge: URL or slug.
        id: String,
        /// Print the artifact as JSON.
        #[arg(long, conflicts_with = "markdown")]
        json: bool,
        /// Print the artifact as Markdown.
        #[arg(long)]
        markdown: bool,
    },
    /// Edit an artifact's title, notes or next actions.
    Edit(EditArgs),
    /// Archive an artifact (or restore it with --undo).
    Archive {
        /// Artifact id, URL or slug.
        id: String,
        /// Restore an archived artifact.
        #[arg(long)]
        undo: bool,
        /// Print the artifact as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Show the local prompt log (never synced).
    Prompts(JsonFlag),
    /// Run the web app and the local API on the embedded store.
    Serve {
        /// Address to listen on; anything but loopback requires the printed access token.
        #[arg(long, default_value = "127.0.0.1:7878")]
        addr: std::net::SocketAddr,
    },
}

/// A lone `--json` flag.
#[derive(Debug, Args)]
pub struct JsonFlag {
    /// Print exactly one JSON document.
    #[arg(long)]
    pub json: bool,
}

/// `generate` arguments.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// What you need, in your own words ("-" reads it from standard input).
    pub prompt: String,
    /// Company stage.
    #[arg(long, value_parser = parse_stage, value_name = "pre-launch|early-revenue|seed|series-a|series-b-plus")]
    pub stage: Option<Stage>,
    /// Current goal.
    #[arg(long, value_parser = parse_goal, value_name = "find-pmf|grow-revenue|improve-retention|ship-faster|raise-funding|reduce-chaos|other")]
    pub goal: Option<Goal>,
    /// Your biggest challenge, in your words.
    #[arg(long)]
    pub challenge: Option<String>,
    /// Force a kind instead of classifying the prompt.
    #[arg(long, value_parser = parse_kind, value_name = "KIND")]
    pub kind: Option<Kind>,
    /// Print the artifact as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `edit` arguments.
#[derive(Debug, Args)]
pub struct EditArgs {
    /// Artifact id, URL or slug.
    pub id: String,
    /// New title.
    #[arg(long)]
    pub title: Option<String>,
    /// New notes (replace the current notes; "-" reads them from standard input).
    #[arg(long)]
    pub notes: Option<String>,
    /// Tick next action N (1-based).
    #[arg(long, value_name = "N")]
    pub done: Vec<usize>,
    /// Untick next action N (1-based).
    #[arg(long, value_name = "N")]
    pub undone: Vec<usize>,
    /// Print the artifact as JSON.
    #[arg(long)]
    pub json: bool,
}

fn parse_stage(s: &str) -> Result<Stage, String> {
    s.parse()
        .map_err(|e: cosos_artifacts::ArtifactError| e.to_string())
}

fn parse_goal(s: &str) -> Result<Goal, String> {
    s.parse()
        .map_err(|e: cosos_artifacts::ArtifactError| e.to_string())
}

fn parse_kind(s: &str) -> Result<Kind, String> {
    s.parse()
        .map_err(|e: cosos_artifacts::ArtifactError| e.to_string())
}
