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

mod activation;
mod app;
mod catch_unwind;
mod config;
mod config_error;
mod duration;
pub mod exit_code;
mod health;
mod logging;
mod notify;
mod readiness;
mod reaper;
#[doc(hidden)]
pub mod report;
mod settings;
mod signals;
mod stdout_writer;
mod supervisor;

pub use app::App;
pub use config_error::{ConfigError, ConfigErrors};
pub use readiness::Readiness;
pub use tokio_util::sync::CancellationToken;

/// What the attribute's expansion calls. Not a public API: it changes without notice.
#[doc(hidden)]
pub mod __private {
    pub use crate::report;
    pub use crate::settings::{Flavor, LogFormat, Settings};
    pub use crate::supervisor::{run_async, run_sync};
}
