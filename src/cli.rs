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
        /// Keep the workspace in sync with this relay while serving.
        #[command(flatten)]
        relay: OptionalRelay,
        /// Keep this folder mirrored (as `cosos folder DIR --watch` does) while serving.
        #[arg(long, value_name = "DIR")]
        folder: Option<PathBuf>,
    },
    /// Sync the workspace and all its artifacts with a relay, then exit (or keep going with --watch).
    Sync {
        /// The relay.
        #[command(flatten)]
        relay: RelayFlags,
        /// Keep syncing live (and serve the local API so other commands work meanwhile).
        #[arg(long)]
        watch: bool,
        /// Print the summary as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Set up this home as another device of a workspace, from a relay.
    Clone {
        /// The workspace URL (`automerge:...`, from `cosos workspace` on the first device).
        workspace_url: String,
        /// The relay.
        #[command(flatten)]
        relay: RelayFlags,
        /// Print the summary as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Run the sync relay (or manage its tokens with `relay token ...`).
    Relay(RelayArgs),
    /// Connect a data source (credentials stay on this device, never synced).
    #[command(subcommand)]
    Connect(ConnectTarget),
    /// Forget a data source's credentials (its pulled data stays).
    Disconnect {
        /// `stripe` or `posthog`.
        name: String,
        /// Print the integration's status as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Pull live data, fill artifacts with it and evaluate their alerts.
    Pull {
        /// What to pull.
        #[arg(value_enum, default_value = "all")]
        source: PullSource,
        /// Conversion to USD for another currency, like EUR=1.08 (repeatable).
        #[arg(long, value_name = "CUR=RATE")]
        fx: Vec<String>,
        /// Print the pulled metrics as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Show the metrics of the last Stripe pull.
    Metrics(JsonFlag),
    /// Show insights: alerts that fired.
    Insights(JsonFlag),
    /// Export artifacts as a static site for a board or investors (opens from file://).
    Export(ExportArgs),
    /// Mirror every artifact into DIR/<slug>.md; edits to titles, notes and checkboxes flow back.
    Folder(FolderArgs),
}

/// `folder` arguments.
#[derive(Debug, Args)]
pub struct FolderArgs {
    /// The folder (created when missing); good to keep in git.
    pub dir: PathBuf,
    /// Keep mirroring both ways until Ctrl-C (and serve the local API so other commands work).
    #[arg(long)]
    pub watch: bool,
    /// With --watch: scan the folder every half second instead of relying on file events (for
    /// network or container filesystems).
    #[arg(long, requires = "watch")]
    pub poll: bool,
    /// Print what the pass did as JSON.
    #[arg(long, conflicts_with = "watch")]
    pub json: bool,
}

/// `export` arguments.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The output directory: new, empty, or an earlier export (which is replaced).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Export this artifact (id, automerge: URL or slug); repeat it to choose several, in the
    /// order the site shows them. Default: every artifact that is not archived.
    #[arg(long = "artifact", value_name = "ID")]
    pub artifacts: Vec<String>,
    /// The URL the site will be published at: adds sitemap.xml, canonical links and OpenGraph tags.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Encrypt every page with the passphrase held by this environment variable; readers type it
    /// in the browser.
    #[arg(long, value_name = "VAR")]
    pub passphrase_env: Option<String>,
    /// Print what was written as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `pull` sources.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PullSource {
    /// Stripe billing.
    Stripe,
    /// PostHog product analytics.
    Posthog,
    /// Every connected source.
    All,
}

/// `connect` targets.
#[derive(Debug, Subcommand)]
pub enum ConnectTarget {
    /// Stripe: a secret or restricted key with read access to Billing.
    Stripe {
        /// The key itself (visible to other users of this machine in the process list; prefer --api-key-env).
        #[arg(
            long,
            required_unless_present = "api_key_env",
            conflicts_with = "api_key_env"
        )]
        api_key: Option<String>,
        /// The environment variable holding the key.
        #[arg(long, value_name = "VAR")]
        api_key_env: Option<String>,
        /// API base URL (tests, proxies).
        #[arg(long, value_name = "URL")]
        api_base: Option<String>,
        /// Webhook signing secret (`whsec_...`), to verify `POST /webhooks/stripe`.
        #[arg(long, value_name = "S")]
        webhook_secret: Option<String>,
        /// Print the integration's status as JSON.
        #[arg(long)]
        json: bool,
    },
    /// PostHog: a personal API key with `query:read`.
    Posthog {
        /// The personal API key (`phx_...`).
        #[arg(long)]
        api_key: String,
        /// The project id.
        #[arg(long, value_name = "N")]
        project_id: u64,
        /// Host URL (default https://us.posthog.com; EU: https://eu.posthog.com; or self-hosted).
        #[arg(long, value_name = "URL")]
        host: Option<String>,
        /// Print the integration's status as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// `relay` arguments.
#[derive(Debug, Args)]
pub struct RelayArgs {
    /// Token management; without it, runs the relay.
    #[command(subcommand)]
    pub action: Option<RelayAction>,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:7979")]
    pub addr: std::net::SocketAddr,
    /// The relay's data directory (store and token file; default: `relay/` in the home).
    #[arg(long, global = true, value_name = "DIR")]
    pub data: Option<PathBuf>,
    /// Largest websocket message accepted, in bytes.
    #[arg(long, default_value_t = 16 * 1024 * 1024)]
    pub max_message_bytes: usize,
    /// Sustained inbound messages per second per connection (bursts up to 4x are allowed).
    #[arg(long, default_value_t = 500)]
    pub messages_per_second: u32,
    /// Close a connection that sends nothing for this many seconds.
    #[arg(long, default_value_t = 300)]
    pub idle_timeout_secs: u64,
    /// Live connections one token may hold.
    #[arg(long, default_value_t = 32)]
    pub connections_per_token: usize,
    /// Documents one connection may create (each stays in the relay's memory).
    #[arg(long, default_value_t = 20_000)]
    pub max_new_documents: usize,
    /// Unload a workspace after this many seconds without connections (off by default: the
    /// current samod does not free unloaded workspaces, see docs/scaling.md).
    #[arg(long, value_name = "SECS")]
    pub evict_idle_secs: Option<u64>,
}

/// `relay` subcommands.
#[derive(Debug, Subcommand)]
pub enum RelayAction {
    /// Manage access tokens (they work while the relay runs).
    #[command(subcommand)]
    Token(TokenAction),
}

/// `relay token` subcommands.
#[derive(Debug, Subcommand)]
pub enum TokenAction {
    /// Create a token for workspace NAME and print it (it is shown only this once).
    Add {
        /// The relay workspace the token opens (lower-case letters, digits, '-', '_').
        name: String,
        /// Print {token, id, workspace} as JSON.
        #[arg(long)]
        json: bool,
    },
    /// List tokens (ids and workspaces; never the tokens themselves).
    List(JsonFlag),
    /// Revoke a token by id; its live connections close at once.
    Revoke {
        /// The token id shown by `add` and `list`.
        id: String,
    },
}

/// Where the relay is and the token for it.
#[derive(Debug, Args)]
pub struct RelayFlags {
    /// The relay's websocket URL, like ws://127.0.0.1:7979/sync.
    #[arg(long, value_name = "WSURL")]
    pub relay: String,
    /// The relay token (`cosos relay token add NAME` prints one).
    #[arg(long, env = "COSOS_RELAY_TOKEN", hide_env_values = true)]
    pub token: String,
}

/// Relay flags for `serve`, where syncing is optional.
#[derive(Debug, Args)]
pub struct OptionalRelay {
    /// The relay's websocket URL, like ws://127.0.0.1:7979/sync.
    #[arg(long = "relay", value_name = "WSURL", requires = "token")]
    pub url: Option<String>,
    /// The relay token.
    #[arg(long, env = "COSOS_RELAY_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
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
