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
//! Arguments, all optional:
//!
//! | argument | meaning |
//! |---|---|
//! | `port = 3000` | the port when `PORT` is unset (default 8080) |
//! | `flavor = "current_thread"` / `"multi_thread"` / `"local"` | the tokio runtime (default multi-thread; `local` runs `main` in a `LocalSet` for `spawn_local`) |
//! | `worker_threads = 4` | worker threads of the multi-thread runtime |
//! | `name = "my-svc"` | the name of the runtime's threads |
//! | `shutdown_timeout = "20s"` | the drain deadline when `SHUTDOWN_TIMEOUT` is unset (default 9s) |
//! | `log = "json"` / `"text"` / `"off"` | the default log format; `off` installs no subscriber |
//! | `crate = "path"` | where this crate is, if it was renamed in `Cargo.toml` |
//!
//! The environment variables, exit codes and signals are in the README and in [`exit_code`].
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
    exit_code, App, CancellationToken, ConfigError, ConfigErrors, Readiness,
};

/// What the attribute's expansion uses. Not a public API: it changes without notice.
#[doc(hidden)]
pub mod __private {
    pub use twelvefactor_runtime::__private::*;
}
