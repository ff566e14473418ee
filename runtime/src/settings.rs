//! What the attribute's arguments tell the runtime; built by the expansion.

use std::time::Duration;

/// The tokio runtime flavour `async fn main` runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavor {
    /// One thread drives everything (`flavor = "current_thread"`).
    CurrentThread,
    /// A worker pool, one thread per core unless `worker_threads` says otherwise (the default).
    MultiThread,
}

/// The log format the attribute chose; `LOG_FORMAT` overrides `Text` and `Json`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogSetting {
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
    /// The port used when `PORT` is unset.
    pub default_port: u16,
    /// The runtime flavour.
    pub flavor: Flavor,
    /// Worker threads of the multi-thread runtime; `None` means one per core.
    pub worker_threads: Option<usize>,
    /// The drain deadline used when `SHUTDOWN_TIMEOUT` is unset.
    pub shutdown_timeout: Duration,
    /// The log format, or `Off`.
    pub log: LogSetting,
}

impl Settings {
    /// The settings of a bare `#[twelve_factor::main]`.
    pub const DEFAULT: Settings = Settings {
        takes_app: true,
        default_port: 8080,
        flavor: Flavor::MultiThread,
        worker_threads: None,
        // Under `docker stop`'s 10 s, so the drain finishes before the SIGKILL.
        shutdown_timeout: Duration::from_secs(9),
        log: LogSetting::Text,
    };
}

impl Default for Settings {
    fn default() -> Self {
        Settings::DEFAULT
    }
}
