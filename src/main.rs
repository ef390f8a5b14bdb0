//! The `cosos` command: a thin CLI over cosos-engine and cosos-artifacts.

mod backend;
mod cli;
mod commands;
mod export;
mod output;
mod relay;
mod remote;
mod serve;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    // A relay is a server someone operates: say what it does. samod logs every peer that hangs up
    // without a closing handshake (a laptop lid closing) as an error; that is routine for a relay.
    let default_filter = match cli.command {
        cli::Command::Relay(_) => "warn,cosos_server=info,samod::io_loop=off",
        _ => "error",
    };
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("COSOS_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default_filter)),
        )
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(commands::exit_code(&e))
        }
    }
}
