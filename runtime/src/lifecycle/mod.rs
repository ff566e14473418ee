//! The order of things, from the first line of `main` to `exit`. The only room that sees
//! [`App`](crate::App) being made; everything below it works on data.
//!
//! - [`run`]: the one entry point the expansion calls (`start.rs` holds its steps);
//! - `manifest.rs`: the first step, `TWELVE_FACTOR_MANIFEST` (the `deploy` room's hook);
//! - `command_line.rs`: `--help`, `--version` and the process type, before any variable is read;
//! - `args.rs`: `main`'s configuration and process-type parameters, told apart by their kind;
//! - `spec.rs`: [`MainSpec`] and [`MainShape`], what the attribute and `main`'s signature say;
//! - `main_fn.rs`: [`Async`] and [`Sync`] mains behind [`MainFn`];
//! - `executor.rs`: the tokio runtime per flavour;
//! - `signals.rs`: the first signal starts the stop; a second SIGINT exits with 130;
//! - `reload.rs`: SIGHUP as a reload request, for services that ask (`app.reloads()`);
//! - `stop.rs`: the stop as named phases under the deadline;
//! - `outcome.rs`: `main`'s return value → exit code; `catch_unwind.rs`: a panic → exit 101;
//! - `exit.rs`: flush the log, then exit.

pub mod args;
mod catch_unwind;
mod command_line;
mod executor;
mod exit;
mod main_fn;
mod manifest;
pub mod outcome;
pub(crate) mod reload;
mod signals;
mod spec;
mod start;
mod stop;

pub use main_fn::{Async, MainFn, Sync};
pub use spec::{Flavor, MainShape, MainSpec};

use args::MainArgs;

/// Runs `main` as a twelve-factor process and exits; the one call the expansion makes. `args`
/// is the tuple of [`arg`](args::arg) readers of `main`'s parameters other than the `App` (a
/// configuration, a set of process types, `()` for neither), read with the runtime's own
/// variables before anything starts.
pub fn run<R: MainArgs, M: MainFn<R::Values>>(spec: MainSpec, args: R, main: M) -> ! {
    start::run(spec, args, main)
}
