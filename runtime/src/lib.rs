//! The runtime behind `#[twelve_factor::main]`. Depend on the `twelvefactor` crate instead: it
//! re-exports everything public here, and the attribute's expansion calls into this crate
//! through it.
//!
//! A room per concern, each importing only from the rooms above it:
//!
//! - `platform`: the OS (signal mask, systemd notify and socket activation, PID-1 reaping);
//! - `config`: the environment → validated values: the runtime's own variables (one table in
//!   `config/builtin.rs`) and the service's [`Config`];
//! - `log`: the stdout subscriber, its line formats, the queued writer and the panic hook;
//! - `listen`: readiness (over `main`'s listener and each declared one), the declared listeners
//!   (`listeners(admin = 9091)`) and the probe listener on `HEALTH_PORT`;
//! - `metrics`: `/metrics` in the Prometheus text format (the `metrics` feature; a stub in
//!   `metrics/off.rs` without it);
//! - `shared.rs`: the process's state (tasks, workers, failures); `app.rs`: [`App`], its public
//!   view;
//! - `lifecycle`: the one entry point, signals, the stop plan, the exit code;
//! - [`deploy`]: the deployment contract, its manifests (`TWELVE_FACTOR_MANIFEST`) and the drift check;
//! - [`exit_code`]: the exit codes, as constants.
//!
//! Add a built-in variable in `config/builtin.rs` and `config/runtime_vars.rs`, a log field in
//! `log/format.rs`, a method for services in `app.rs` over state in `shared.rs`, and a part that
//! must stop in order as a phase in `lifecycle/stop.rs`.

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
    mod platform;
    mod config;
    mod cli;
    mod log;
    #[cfg_attr(not(feature = "metrics"), path = "metrics/off.rs")]
    mod metrics;
    mod listen;
    mod shared;
    mod app;
    mod lifecycle;
    pub mod deploy;
    pub mod exit_code;

    /// The fuzz targets' entry points (`fuzz/`); only under `cargo fuzz`.
    #[cfg(fuzzing)]
    #[doc(hidden)]
    pub mod fuzzing;

    pub use app::App;
    pub use lifecycle::reload::{Reload, Reloads};
    pub use config::error::{ConfigError, ConfigErrors};
    pub use config::table::{builtin_variables, env_table};
    pub use listen::readiness::Readiness;
    pub use config::secret::Secret;
    pub use cli::{help_sections, Process, ProcessType};
    pub use tokio_util::sync::CancellationToken;
    pub use config::Config;
    pub use config::variable::Variable;

    /// A tracing layer of the service's own (the attribute's `layer = path::to_fn`), installed
    /// beside the runtime's line format, filter and log bridge.
    pub type LogLayer =
        Box<dyn tracing_subscriber::Layer<tracing_subscriber::Registry> + Send + Sync>;

    /// OpenTelemetry (the `otel` feature): continue an incoming trace, or pass one on.
    ///
    /// With `OTEL_EXPORTER_OTLP_ENDPOINT` set, the process's spans are exported over OTLP; with
    /// or without it, every log line written inside a span carries its `trace_id` and `span_id`.
    #[cfg(feature = "otel")]
    pub mod otel {
        pub use crate::log::otel::{continue_trace, continue_trace_with, traceparent};
    }

    /// Prometheus metrics (the `metrics` feature): `GET /metrics` on `HEALTH_PORT` renders the
    /// process's, the runtime's and what the service records through the `metrics` crate.
    #[cfg(feature = "metrics")]
    pub mod prometheus {
        pub use crate::metrics::http::{HttpMetrics, HttpMetricsLayer, RouteOf, UNMATCHED};
        /// The `metrics` facade (0.24) whose recorder `/metrics` renders, for services that do
        /// not depend on it themselves: `twelve_factor::prometheus::metrics::counter!(…)`.
        pub use ::metrics;
    }

    /// What the attribute's expansion calls. Not a public API: it changes without notice.
    #[doc(hidden)]
    pub mod __private {
        pub use crate::config::parse as field_parse;
        pub use crate::config::reader::Reader;
        pub use crate::config::runtime_vars::LogFormat;
        pub use crate::lifecycle::args::{arg, both, Arg, ArgContext, ArgKind, MainArg, MainArgs};
        pub use crate::lifecycle::outcome;
        pub use crate::lifecycle::{run, Async, Flavor, MainFn, MainShape, MainSpec, Sync};
        pub use crate::listen::spec::ListenerDecl;

        /// The first command-line argument: `--help`, `--version`, the process type.
        pub mod cli {
            pub use crate::cli::*;
        }

        /// The runtime's own variables, which a configuration struct cannot read.
        pub const BUILTIN_VARIABLES: &[crate::Variable] = &crate::config::table::BUILTIN_VARIABLES;

        /// Whether JSON logs are compiled in (the `json` feature); the expansion of
        /// `log = "json"` asserts it at compile time.
        pub const JSON: bool = cfg!(feature = "json");

        /// Whether `flavor = "actix"` is compiled in (the `actix` feature); the expansion
        /// asserts it at compile time.
        pub const ACTIX: bool = cfg!(feature = "actix");
    }
}
