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
//! exit codes. A service's own variables: `user_config` (the [`Config`] trait the derive
//! implements), `env_source` (reading with `NAME_FILE` and defaults), `field_parse`, `secret`,
//! `suggest` (misspelt names) and `env_table`.

#![warn(missing_docs)]

// Graceful shutdown is built on Unix signals (SIGTERM from the process manager), and socket
// activation, notify and PID-1 reaping on Unix APIs. Elsewhere: one clear error, nothing else.
#[cfg(not(unix))]
compile_error!(
    "twelvefactor supports Unix targets only: Linux, macOS, FreeBSD, NetBSD, OpenBSD and the \
     other BSDs (it needs Unix signals: SIGTERM, SIGINT, SIGHUP). Windows is not supported."
);

/// Puts `#[cfg(unix)]` on every item it is given, so that the list below reads once.
macro_rules! unix_only {
    ($($item:item)*) => { $(#[cfg(unix)] $item)* };
}

unix_only! {
    mod activation;
    mod app;
    mod catch_unwind;
    mod cli;
    mod config;
    mod config_error;
    mod duration;
    mod env_source;
    mod env_table;
    pub mod exit_code;
    #[doc(hidden)]
    pub mod field_parse;
    mod health;
    mod logging;
    mod notify;
    mod readiness;
    mod reaper;
    #[doc(hidden)]
    pub mod report;
    mod secret;
    mod settings;
    mod signals;
    mod stdout_writer;
    mod suggest;
    mod supervisor;
    mod user_config;
    mod variable;

    pub use app::App;
    pub use cli::{help_sections, Process, ProcessType};
    pub use config_error::{ConfigError, ConfigErrors};
    pub use env_table::env_table;
    pub use readiness::Readiness;
    pub use secret::Secret;
    pub use tokio_util::sync::CancellationToken;
    pub use user_config::Config;
    pub use variable::Variable;

    /// What the attribute's expansion calls. Not a public API: it changes without notice.
    #[doc(hidden)]
    pub mod __private {
        pub use crate::env_source::Reader;
        pub use crate::field_parse;
        pub use crate::report;
        pub use crate::settings::{Flavor, LogFormat, Settings};
        pub use crate::supervisor::{run_async, run_async_with, run_sync, run_sync_with};
        pub use crate::user_config::{config_reader, ConfigReader};

        /// The first command-line argument: `--help`, `--version`, the process type.
        pub mod cli {
            pub use crate::cli::*;
        }

        /// The runtime's own variables, which a configuration struct cannot read.
        pub const BUILTIN_VARIABLES: &[crate::Variable] = crate::env_table::BUILTIN;

        /// Whether JSON logs are compiled in (the `json` feature); the expansion of
        /// `log = "json"` asserts it at compile time.
        pub const JSON: bool = cfg!(feature = "json");
    }
}
