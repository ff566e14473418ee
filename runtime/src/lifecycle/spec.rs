//! [`MainSpec`]: what the attribute's arguments and `main`'s signature tell the runtime; built
//! by the expansion.

use crate::config::runtime_vars::{Defaults, LogFormat};
use crate::listen::spec::ListenerDecl;
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
    /// One thread driving an actix `System` (`flavor = "actix"`, the `actix` feature), as
    /// `#[actix_web::main]` does: `System::current()`, `Arbiter` and actors work in `main`.
    Actix,
}

/// The shape of `main`, which decides when the process is ready and whether the stop waits
/// for `main`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MainShape {
    /// `main` takes an `App` and returns: it says when it is ready (its listener, or
    /// `app.ready()`), and the stop waits for it to return.
    TakesApp,
    /// `main` takes no `App`: it cannot see the shutdown coming, so it is ready at start and
    /// cancelled at the shutdown instead of awaited.
    NoApp,
    /// `main` takes an `App` and returns `!`: it never ends, so it is cancelled at the
    /// shutdown instead of awaited.
    NeverReturns,
}

impl MainShape {
    /// Whether the process is ready as soon as `main` starts (it has no `App` to say so).
    pub(crate) fn ready_at_start(self) -> bool {
        self == MainShape::NoApp
    }

    /// Whether the stop waits for `main` to return. A `main` without `App` cannot see the
    /// shutdown coming, and a `-> !` main never ends: waiting for either would only run into
    /// the deadline, so the stop cancels them.
    pub(crate) fn waits_for_main(self) -> bool {
        self == MainShape::TakesApp
    }
}

/// The attribute's arguments and `main`'s shape, as the expansion passes them.
#[derive(Clone, Copy, Debug)]
pub struct MainSpec {
    /// The shape of `main`.
    pub shape: MainShape,
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
    /// The listeners declared besides `main`'s (`listeners(admin = 9091)`).
    pub listeners: &'static [ListenerDecl],
    /// The package's name (`CARGO_PKG_NAME`), for `--version` and `--help`.
    pub package: &'static str,
    /// The package's version (`CARGO_PKG_VERSION`).
    pub version: &'static str,
    /// The package's one-line description (`CARGO_PKG_DESCRIPTION`), or `""`.
    pub description: &'static str,
    /// Whether the runtime answers `--help` and `--version` as the first argument; `false` when
    /// the program parses its own command line (the attribute's `cli`).
    pub answers_flags: bool,
    /// The service's own tracing layer (`layer = path::to_fn`), installed beside the runtime's
    /// format, filter and log bridge.
    pub layer: Option<fn() -> crate::LogLayer>,
}

impl MainSpec {
    /// The spec of a bare `#[twelve_factor::main]` on `async fn main(app: App)`.
    pub const DEFAULT: MainSpec = MainSpec {
        shape: MainShape::TakesApp,
        default_port: Defaults::DEFAULT.default_port,
        flavor: Flavor::MultiThread,
        worker_threads: None,
        thread_name: None,
        shutdown_timeout: Defaults::DEFAULT.shutdown_timeout,
        log: Defaults::DEFAULT.log,
        listeners: Defaults::DEFAULT.listeners,
        package: "",
        version: "",
        description: "",
        answers_flags: true,
        layer: None,
    };

    /// What reading the runtime's variables falls back on.
    pub(crate) fn defaults(&self) -> Defaults {
        Defaults {
            default_port: self.default_port,
            shutdown_timeout: self.shutdown_timeout,
            log: self.log,
            listeners: self.listeners,
        }
    }
}

impl Default for MainSpec {
    fn default() -> Self {
        MainSpec::DEFAULT
    }
}
