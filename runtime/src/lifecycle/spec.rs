//! What the attribute's arguments tell the runtime; built by the expansion.

use std::time::Duration;

/// The tokio runtime flavour `async fn main` runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavor {
    /// One thread drives everything (`flavor = "current_thread"`).
    CurrentThread,
    /// A worker pool, one thread per core unless `worker_threads` says otherwise (the default).
    MultiThread,
    /// One thread driving a `tokio::task::LocalSet` (`flavor = "local"`): `main` may call
    /// `tokio::task::spawn_local` for `!Send` tasks.
    Local,
}

/// The log format: the attribute's choice, then the process's once `LOG_FORMAT` is read
/// (`LOG_FORMAT` overrides `Text` and `Json`, never `Off`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable lines (the default).
    Text,
    /// One JSON object per line.
    Json,
    /// Install no subscriber: the program brings its own.
    Off,
}

/// The attribute's arguments, as the expansion passes them.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    /// `main` takes an `App`; when it does not, READY=1 is sent at start.
    pub takes_app: bool,
    /// `main` can return; `false` for `-> !`, whose `main` the drain cancels instead of
    /// waiting for it.
    pub main_returns: bool,
    /// The port used when `PORT` is unset.
    pub default_port: u16,
    /// The runtime flavour.
    pub flavor: Flavor,
    /// Worker threads of the multi-thread runtime; `None` means one per core.
    pub worker_threads: Option<usize>,
    /// The name of the runtime's threads (`name = "…"`); `None` keeps tokio's.
    pub thread_name: Option<&'static str>,
    /// The drain deadline used when `SHUTDOWN_TIMEOUT` is unset.
    pub shutdown_timeout: Duration,
    /// The log format, or `Off`.
    pub log: LogFormat,
}

impl Settings {
    /// The settings of a bare `#[twelve_factor::main]`.
    pub const DEFAULT: Settings = Settings {
        takes_app: true,
        main_returns: true,
        default_port: 8080,
        flavor: Flavor::MultiThread,
        worker_threads: None,
        thread_name: None,
        // Under `docker stop`'s 10 s, so the drain finishes before the SIGKILL.
        shutdown_timeout: Duration::from_secs(9),
        log: LogFormat::Text,
    };
}

impl Default for Settings {
    fn default() -> Self {
        Settings::DEFAULT
    }
}
