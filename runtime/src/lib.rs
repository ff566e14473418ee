//! The runtime behind `#[twelve_factor::main]`. Depend on the `twelvefactor` crate instead: it
//! re-exports everything public here, and the attribute's expansion calls into this crate
//! through it.
//!
//! One concept per module: `config` reads the environment, `logging` installs the stdout
//! subscriber and the panic hook, `signals` turns SIGTERM/SIGINT/SIGHUP into a shutdown,
//! `supervisor` runs `main` and enforces the drain deadline, `app` is the handle user code
//! gets, `notify` speaks systemd's notify protocol, `activation` takes sockets from systemd
//! socket activation, `reaper` reaps orphans as PID 1, `readiness` holds whether the process
//! wants traffic, `health` serves it as probes on `HEALTH_PORT`, and [`exit_code`] names the
//! exit codes.

#![warn(missing_docs)]

// Graceful shutdown is built on Unix signals (SIGTERM from the process manager), and socket
// activation, notify and PID-1 reaping on Unix APIs. Elsewhere: one clear error, nothing else.
#[cfg(not(unix))]
compile_error!(
    "twelvefactor supports Unix targets only: Linux, macOS, FreeBSD, NetBSD, OpenBSD and the \
     other BSDs (it needs Unix signals: SIGTERM, SIGINT, SIGHUP). Windows is not supported."
);

#[cfg(unix)]
mod activation;
#[cfg(unix)]
mod app;
#[cfg(unix)]
mod catch_unwind;
#[cfg(unix)]
mod config;
#[cfg(unix)]
mod config_error;
#[cfg(unix)]
mod duration;
#[cfg(unix)]
pub mod exit_code;
#[cfg(unix)]
mod health;
#[cfg(unix)]
mod logging;
#[cfg(unix)]
mod notify;
#[cfg(unix)]
mod readiness;
#[cfg(unix)]
mod reaper;
#[doc(hidden)]
#[cfg(unix)]
pub mod report;
#[cfg(unix)]
mod settings;
#[cfg(unix)]
mod signals;
#[cfg(unix)]
mod stdout_writer;
#[cfg(unix)]
mod supervisor;

#[cfg(unix)]
pub use app::App;
#[cfg(unix)]
pub use config_error::{ConfigError, ConfigErrors};
#[cfg(unix)]
pub use readiness::Readiness;
#[cfg(unix)]
pub use tokio_util::sync::CancellationToken;

/// What the attribute's expansion calls. Not a public API: it changes without notice.
#[doc(hidden)]
#[cfg(unix)]
pub mod __private {
    pub use crate::report;
    pub use crate::settings::{Flavor, LogFormat, Settings};
    pub use crate::supervisor::{run_async, run_sync};

    /// Whether JSON logs are compiled in (the `json` feature); the expansion of
    /// `log = "json"` asserts it at compile time.
    pub const JSON: bool = cfg!(feature = "json");
}
