//! # twelve_factor
//!
//! `#[twelve_factor::main]` on `main` turns a Rust program into a [twelve-factor] process: it
//! reads `PORT`, logs to stdout, drains gracefully on SIGTERM within a deadline, tells systemd
//! (and, with `HEALTH_PORT`, Kubernetes and load balancers through `/livez` and `/readyz`) when
//! it is ready, takes sockets from socket activation, behaves as PID 1, and exits with
//! codes a process manager understands. It never daemonizes, and it makes the crate **fail to
//! compile** when daemonizing APIs (`fork`, `setsid`, `daemon`, PID files, `dup2` onto
//! stdout) are used anywhere in it.
//!
//! ```no_run
//! #[twelve_factor::main]
//! async fn main(app: twelve_factor::App) -> Result<(), Box<dyn std::error::Error>> {
//!     let listener = app.listener().await?;    // HOST:PORT, or the socket systemd passed
//!     loop {
//!         tokio::select! {
//!             accepted = listener.accept() => {
//!                 let (stream, peer) = accepted?;
//!                 app.spawn(async move {         // the drain waits for this task
//!                     tracing::info!(%peer, "connection");
//!                     drop(stream);
//!                 });
//!             }
//!             () = app.shutdown() => break,     // SIGTERM, SIGINT or SIGHUP
//!         }
//!     }
//!     Ok(())
//! }
//! ```
//!
//! ## The attribute
//!
//! Forms: `async fn main()`, `async fn main(app: App)`, and the same without `async` (a
//! synchronous `main` runs on a blocking thread; the runtime still handles signals and the
//! deadline), returning what std's `main` accepts: `()`, `Result<(), E>` (`E: Debug`; an `E`
//! that is or derefs to a `std::error::Error` is logged with its chain of causes), `ExitCode`,
//! `Result<ExitCode, E>`, another `Termination` type, or `!`.
//!
//! Arguments, all optional (`port`, `listeners(…)`, `flavor`, `worker_threads`, `name`,
//! `shutdown_timeout`, `log`, `crate`): their defaults and meanings are in the README's [attribute table]; what is
//! refused and why, in [the attribute in detail].
//!
//! [attribute table]: https://github.com/twelvefactor-rs/twelvefactor#the-attribute
//! [the attribute in detail]: https://github.com/twelvefactor-rs/twelvefactor/blob/main/docs/guide/attribute.md
//!
//! ## Configuration
//!
//! A service's own variables are the fields of a struct with
//! [`#[derive(Config)]`](derive@Config), taken as `main`'s second argument; they are read and
//! validated with the runtime's own, and every bad one is reported at once (exit 78):
//!
//! ```no_run
//! /// Settings of the shop service.
//! #[derive(Debug, twelve_factor::Config)]
//! #[config(prefix = "SHOP_")]
//! struct Settings {
//!     /// Postgres connection string.
//!     database_url: String,                        // SHOP_DATABASE_URL, required
//!     #[config(default = "4")]
//!     workers: u16,                                // SHOP_WORKERS
//!     #[config(default = "30s")]
//!     cache_ttl: std::time::Duration,              // 500ms, 30s, 2m, 1h
//!     upstream: Option<String>,                    // unset → None
//!     #[config(secret)]
//!     api_token: twelve_factor::Secret<String>,    // redacted in Debug, errors and logs
//!     #[config(env = "FEATURES", default = "")]
//!     features: Vec<String>,                       // comma-separated, full name
//!     #[config(default = "false")]
//!     dry_run: bool,                               // true/false, 1/0, yes/no, on/off
//! }
//!
//! #[twelve_factor::main]
//! async fn main(app: twelve_factor::App, settings: Settings) {
//!     tracing::info!(workers = settings.workers, "starting");
//!     app.shutdown().await;
//! }
//! ```
//!
//! Every variable may also be given as a file, `NAME_FILE=/path`. [`env_table`] prints the
//! Markdown table of every variable the process reads; [`Config::from_env`] and
//! [`Config::from_map`] read a configuration outside `main`.
//!
//! The environment variables, exit codes and signals are in the README's [tables], and the exit
//! codes in [`exit_code`] too.
//!
//! [tables]: https://github.com/twelvefactor-rs/twelvefactor#environment-variables
//!
//! [twelve-factor]: https://12factor.net

#![warn(missing_docs)]

/// Turns `main` into a twelve-factor process. See the [crate documentation](crate).
///
/// ```no_run
/// #[twelve_factor::main(port = 3000, shutdown_timeout = "20s", log = "json")]
/// async fn main(app: twelve_factor::App) {
///     app.ready();
///     app.shutdown().await;
/// }
/// ```
pub use twelvefactor_macros::main;
pub use twelvefactor_runtime::{
    builtin_variables, deploy, env_table, exit_code, help_sections, App, CancellationToken, Config,
    ConfigError, ConfigErrors, LogLayer, Process, ProcessType, Readiness, Reload, Reloads, Secret,
    Variable,
};

/// OpenTelemetry (the `otel` feature): [`continue_trace`](otel::continue_trace) picks up an
/// incoming W3C `traceparent`. With `OTEL_EXPORTER_OTLP_ENDPOINT` set, spans are exported over
/// OTLP, and every log line written inside a span carries `trace_id` and `span_id`. See
/// `docs/guide/observability.md`.
#[cfg(feature = "otel")]
pub use twelvefactor_runtime::otel;

/// Prometheus (the `metrics` feature): `GET /metrics` on `HEALTH_PORT`, and
/// [`HttpMetricsLayer`](prometheus::HttpMetricsLayer) for the service's HTTP requests. See
/// `docs/guide/observability.md`.
#[cfg(feature = "metrics")]
pub use twelvefactor_runtime::prometheus;

/// Derives [`Config`](trait@Config): a struct read from environment variables, one per field.
/// See the [crate documentation](crate#configuration).
///
/// ```
/// /// Settings of the shop service.
/// #[derive(Debug, twelve_factor::Config)]
/// #[config(prefix = "SHOP_")]
/// struct Settings {
///     /// Postgres connection string.
///     database_url: String,
///     #[config(default = "4")]
///     workers: u16,
///     #[config(secret)]
///     api_token: twelve_factor::Secret<String>,
/// }
///
/// let settings = Settings::from_map([
///     ("SHOP_DATABASE_URL", "postgres://db/shop"),
///     ("SHOP_API_TOKEN", "hunter2"),
/// ])
/// .unwrap();
/// assert_eq!(settings.workers, 4);
/// assert!(!format!("{settings:?}").contains("hunter2"));
/// ```
pub use twelvefactor_macros::Config;

/// Derives [`Process`](trait@Process): an enum with one unit variant per process type of the
/// binary. Each variant's name in kebab-case (`SendDigest` → `send-digest`) selects it, as
/// the first argument or as `PROCESS_TYPE`; the first paragraph of its doc comment is its
/// description in `--help`.
///
/// On a variant: `#[process(default)]` (runs when nothing names a type; one variant at most),
/// `#[process(one_off)]` (an admin task that runs to completion), `#[process(name = "…")]`
/// (another name). On the enum: `#[process(crate = "path")]` when this crate is renamed.
///
/// ```
/// use twelve_factor::Process;
///
/// #[derive(Process)]
/// enum Kind {
///     /// Serves HTTP on PORT.
///     #[process(default)]
///     Web,
///     /// Consumes the job queue.
///     Worker,
///     /// Runs the migrations, then exits.
///     #[process(one_off, name = "migrate")]
///     Release,
/// }
///
/// let names: Vec<&str> = Kind::TYPES.iter().map(|kind| kind.name).collect();
/// assert_eq!(names, ["web", "worker", "migrate"]);
/// assert!(Kind::TYPES[0].default && Kind::TYPES[2].one_off);
/// assert_eq!(Kind::TYPES[1].doc, "Consumes the job queue.");
/// ```
pub use twelvefactor_macros::Process;

/// What the attribute's expansion uses. Not a public API: it changes without notice.
#[doc(hidden)]
pub mod __private {
    pub use twelvefactor_runtime::__private::*;
}

/// The Rust blocks of the README and of the guides, compiled as doctests so that they stay true.
#[cfg(doctest)]
mod doctests {
    #[doc = include_str!("../README.md")]
    struct Readme;

    #[doc = include_str!("../docs/guide/configuration.md")]
    struct Configuration;

    #[doc = include_str!("../docs/guide/migrating.md")]
    struct Migrating;

    #[doc = include_str!("../docs/guide/frameworks.md")]
    struct Frameworks;

    #[doc = include_str!("../docs/guide/without-the-macro.md")]
    struct WithoutTheMacro;

    #[doc = include_str!("../docs/guide/formation.md")]
    struct Formation;
    #[doc = include_str!("../docs/guide/process-types.md")]
    struct ProcessTypes;
    #[cfg(all(feature = "otel", feature = "metrics"))]
    #[doc = include_str!("../docs/guide/observability.md")]
    struct Observability;
}
