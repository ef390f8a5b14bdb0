//! Keeping a folder mirror live: filesystem events (debounced, or polled where events are
//! unreliable) and document changes (local edits, pulls, sync from other devices) each bring the
//! affected files up to date.

use std::collections::HashSet;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::time::Duration;

use futures::StreamExt;
use notify::RecursiveMode;
use notify::event::{AccessKind, AccessMode, EventKind};
use notify_debouncer_mini::{
    Config, DebounceEventHandler, DebounceEventResult, Debouncer, new_debouncer_opt,
};
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};
use tokio::task::JoinSet;

use super::{FolderError, Mirror, MirrorReport};
use crate::error::EngineError;

/// How the mirror learns that files changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Watching {
    /// The OS's file events (inotify and the like).
    Events,
    /// Scanning the folder every so often, for network and container filesystems whose events
    /// are unreliable.
    Poll(Duration),
}

/// How long the folder must be quiet before changed files are read: editors write in bursts.
const QUIET: Duration = Duration::from_millis(100);

/// Why the mirror should look again.
enum Trigger {
    Files(Vec<PathBuf>),
    Document(String),
    Index,
    WatchFailed(String),
}

/// Mirrors until `stop` resolves, calling `tell` with what each round did. File problems and
/// lost events are told and the watch goes on; the store failing ends it.
pub async fn watch(
    mut mirror: Mirror,
    how: Watching,
    stop: impl Future<Output = ()>,
    mut tell: impl FnMut(&MirrorReport),
) -> Result<(), EngineError> {
    let (tx, mut rx) = unbounded_channel();
    let _watcher = watch_files(&mirror, how, tx.clone())?;
    let mut listeners = JoinSet::new();
    let index = mirror.ws.index_handle().clone();
    listeners.spawn(forward_changes(index, tx.clone(), || Trigger::Index));
    let mut followed = HashSet::new();
    follow_new_documents(&mirror, &mut followed, &mut listeners, &tx).await?;
    tell(&mirror.pass().await?);
    tokio::pin!(stop);
    loop {
        let first = tokio::select! {
            () = &mut stop => return Ok(()),
            trigger = rx.recv() => trigger,
        };
        let Some(first) = first else { return Ok(()) };
        let mut files = Vec::new();
        let mut documents = Vec::new();
        let mut index_changed = false;
        let mut missed = None;
        let mut next = Some(first);
        while let Some(trigger) = next {
            match trigger {
                Trigger::Files(paths) => files.extend(paths),
                Trigger::Document(id) => documents.push(id),
                Trigger::Index => index_changed = true,
                Trigger::WatchFailed(why) => missed = Some(why),
            }
            next = rx.try_recv().ok();
        }
        if let Some(why) = missed {
            // Events were lost (an overflowing inotify queue, say): look at everything.
            let mut report = MirrorReport::default();
            report.notices.push(folder_problem(FolderError::Watch(why)));
            report.absorb(mirror.pass().await?);
            tell(&report);
            continue;
        }
        if index_changed {
            documents
                .extend(follow_new_documents(&mirror, &mut followed, &mut listeners, &tx).await?);
        }
        files.sort();
        files.dedup();
        documents.sort();
        documents.dedup();
        let mut report = MirrorReport::default();
        for round in [
            mirror.files_changed(&files).await,
            mirror.documents_changed(&documents).await,
        ] {
            match round {
                Ok(r) => report.absorb(r),
                Err(EngineError::Folder(e)) => report.notices.push(folder_problem(e)),
                Err(e) => return Err(e),
            }
        }
        tell(&report);
    }
}

/// A problem with the folder as a whole, told without a file name.
fn folder_problem(e: FolderError) -> super::Notice {
    super::Notice {
        file: String::new(),
        message: e.to_string(),
        problem: true,
    }
}

/// Starts listening to the artifacts not followed yet, and returns their ids.
async fn follow_new_documents(
    mirror: &Mirror,
    followed: &mut HashSet<String>,
    listeners: &mut JoinSet<()>,
    tx: &UnboundedSender<Trigger>,
) -> Result<Vec<String>, EngineError> {
    let index = mirror.ws.read_index().await?;
    let mut fresh = Vec::new();
    for id in index.artifacts.keys() {
        if followed.contains(id) {
            continue;
        }
        let handle = mirror.ws.artifact_handle(id).await?;
        let doc_id = id.clone();
        listeners.spawn(forward_changes(handle, tx.clone(), move || {
            Trigger::Document(doc_id.clone())
        }));
        followed.insert(id.clone());
        fresh.push(id.clone());
    }
    Ok(fresh)
}

async fn forward_changes(
    handle: samod::DocHandle,
    tx: UnboundedSender<Trigger>,
    trigger: impl Fn() -> Trigger,
) {
    let mut changes = Box::pin(handle.changes());
    while changes.next().await.is_some() {
        if tx.send(trigger()).is_err() {
            return;
        }
    }
}

/// The folder's watcher; dropping it stops the watching.
fn watch_files(
    mirror: &Mirror,
    how: Watching,
    tx: UnboundedSender<Trigger>,
) -> Result<Box<dyn Send>, FolderError> {
    let forward = move |result: DebounceEventResult| {
        let trigger = match result {
            Ok(events) => Trigger::Files(events.into_iter().map(|e| e.path).collect()),
            Err(e) => Trigger::WatchFailed(e.to_string()),
        };
        let _ = tx.send(trigger);
    };
    let config = Config::default().with_timeout(QUIET);
    let dir = mirror.dir();
    let watcher = match how {
        Watching::Events => {
            debounced::<WithoutReads<notify::RecommendedWatcher>>(config, forward, dir)
        }
        Watching::Poll(every) => {
            let polling = notify::Config::default().with_poll_interval(every);
            debounced::<notify::PollWatcher>(config.with_notify_config(polling), forward, dir)
        }
    };
    watcher.map_err(|e| FolderError::Watch(format!("{}: {e}", dir.display())))
}

/// A watcher that passes on no reads: inotify reports every open, the mirror opens files to
/// check them, and notify-debouncer-mini forgets event kinds, so reads would start rounds that
/// read again, forever. A write's close (`Access(Close(Write))`) is kept.
struct WithoutReads<W>(W);

impl<W: notify::Watcher> notify::Watcher for WithoutReads<W> {
    fn new<F: notify::EventHandler>(
        mut handler: F,
        config: notify::Config,
    ) -> notify::Result<Self> {
        let filtered = move |event: notify::Result<notify::Event>| {
            if !event.as_ref().is_ok_and(|e| is_read(&e.kind)) {
                handler.handle_event(event);
            }
        };
        W::new(filtered, config).map(WithoutReads)
    }

    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        self.0.watch(path, mode)
    }

    fn unwatch(&mut self, path: &Path) -> notify::Result<()> {
        self.0.unwatch(path)
    }

    fn kind() -> notify::WatcherKind {
        W::kind()
    }
}

/// An open, a read, or a close without writing.
fn is_read(kind: &EventKind) -> bool {
    matches!(kind, EventKind::Access(access)
        if *access != AccessKind::Close(AccessMode::Write))
}

/// A debounced watcher of `dir` (not its subfolders) of the kind `W`.
fn debounced<W: notify::Watcher + Send + 'static>(
    config: Config,
    forward: impl DebounceEventHandler,
    dir: &Path,
) -> Result<Box<dyn Send>, notify::Error> {
    let mut debouncer: Debouncer<W> = new_debouncer_opt(config, forward)?;
    debouncer
        .watcher()
        .watch(dir, RecursiveMode::NonRecursive)?;
    Ok(Box::new(debouncer))
}

#[cfg(test)]
mod tests {
    use notify::event::{CreateKind, ModifyKind};

    use super::*;

    #[test]
    fn reads_are_dropped_and_writes_kept() {
        assert!(is_read(&EventKind::Access(AccessKind::Open(
            AccessMode::Any
        ))));
        assert!(is_read(&EventKind::Access(AccessKind::Close(
            AccessMode::Read
        ))));
        assert!(!is_read(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(!is_read(&EventKind::Modify(ModifyKind::Any)));
        assert!(!is_read(&EventKind::Create(CreateKind::File)));
    }
}
