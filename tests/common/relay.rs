//! A real `cosos relay` process on a loopback port, for the sync tests.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};

use super::{cosos, run};

/// A running relay; killed when dropped.
pub struct RelayProcess {
    child: Option<Child>,
    home: PathBuf,
    port: u16,
    extra: Vec<String>,
}

/// A port that was free a moment ago (the relay binds it right after).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

impl RelayProcess {
    /// Starts a relay with its data in `home`'s default relay directory, with `extra` flags.
    pub fn start(home: &Path, extra: &[&str]) -> RelayProcess {
        let mut relay = RelayProcess {
            child: None,
            home: home.to_path_buf(),
            port: free_port(),
            extra: extra.iter().map(|s| s.to_string()).collect(),
        };
        relay.restart();
        relay
    }

    /// (Re)starts the process on the same port and data, waiting until it listens.
    pub fn restart(&mut self) {
        let mut child = cosos(&self.home)
            .args(["relay", "--addr", &format!("127.0.0.1:{}", self.port)])
            .args(&self.extra)
            .env("COSOS_LOG", "cosos_server=debug,warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("relay starts");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("relay prints its address");
        assert!(line.contains("listening on ws://"), "relay said {line:?}");
        self.child = Some(child);
    }

    /// The websocket URL.
    pub fn url(&self) -> String {
        format!("ws://127.0.0.1:{}/sync", self.port)
    }

    /// `host:port`.
    pub fn addr(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// The relay's process id.
    pub fn pid(&self) -> u32 {
        self.child.as_ref().map(Child::id).expect("running")
    }

    /// A new token for `workspace`, made by the CLI (which works while the relay runs).
    pub fn token(&self, workspace: &str) -> String {
        let out = run(cosos(&self.home).args(["relay", "token", "add", workspace]));
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// Runs `cosos relay token ARGS...` on this relay's data and returns stdout.
    pub fn token_command(&self, args: &[&str]) -> String {
        let out = run(cosos(&self.home).args(["relay", "token"]).args(args));
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).to_string()
    }

    /// SIGKILLs the process: no flush, no goodbye.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for RelayProcess {
    fn drop(&mut self) {
        self.kill();
    }
}
