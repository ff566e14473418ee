//! The process's state behind every [`App`](crate::App) clone: the runtime's variables, the
//! shutdown token, the tracked tasks, readiness and the systemd notifier. The lifecycle works on
//! it directly; `App` is the public view of it that `main` gets. Registries of what the stop
//! must wait for (workers, extra listeners) join it here.

use crate::cli::invocation::Invocation;
use crate::config::runtime_vars::RuntimeVars;
use crate::listen::readiness::{self, Change};
use crate::platform::notify::Notifier;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

/// The state every clone of [`App`](crate::App) shares.
pub(crate) struct Shared {
    /// The runtime's variables, read and validated before anything started.
    pub vars: RuntimeVars,
    /// Cancelled when the shutdown begins; `app.shutdown()` waits on it.
    pub token: CancellationToken,
    /// The tasks `app.spawn` started, which the stop waits for.
    pub tracker: TaskTracker,
    notifier: Notifier,
    /// Whether the process wants traffic; shared with the probe listener.
    pub readiness: Arc<readiness::State>,
    stopping: AtomicBool,
    /// The runtime `main` runs on, for `app.spawn` from any thread.
    pub handle: tokio::runtime::Handle,
    /// The selected process type and the program's own arguments.
    pub invocation: Invocation,
}

impl Shared {
    /// The process's state; created once, inside the runtime.
    pub(crate) fn new(vars: RuntimeVars, invocation: Invocation) -> Arc<Shared> {
        let notifier = Notifier::new(vars.notify.as_ref());
        Arc::new(Shared {
            vars,
            token: CancellationToken::new(),
            tracker: TaskTracker::new(),
            notifier,
            readiness: Arc::default(),
            stopping: AtomicBool::new(false),
            handle: tokio::runtime::Handle::current(),
            invocation,
        })
    }
}

impl Shared {
    /// Tells systemd and the log about a readiness change: READY=1 the first time the process
    /// is ready (with `status`), STATUS= lines after that.
    pub(crate) fn announce(&self, change: Change, status: &str) {
        match change {
            Change::None => {}
            Change::FirstReady => self.notifier.send(&format!("READY=1\nSTATUS={status}")),
            Change::ReadyAgain => {
                tracing::info!(target: "twelve_factor", "ready again");
                self.notifier.send("STATUS=ready");
            }
            Change::NotReady(reason) => {
                tracing::info!(target: "twelve_factor", %reason, "not ready: {reason}");
                self.notifier.send(&format!("STATUS=not ready: {reason}"));
            }
        }
    }

    /// Sends STOPPING=1 once, asking systemd to wait for the whole delay and drain.
    pub(crate) fn stopping(&self) {
        self.readiness.shutting_down();
        if !self.stopping.swap(true, Ordering::AcqRel) {
            let budget =
                self.vars.shutdown_delay + self.vars.shutdown_timeout + Duration::from_secs(1);
            self.notifier.send(&format!(
                "STOPPING=1\nSTATUS=shutting down\nEXTEND_TIMEOUT_USEC={}",
                budget.as_micros()
            ));
        }
    }

    /// Sends WATCHDOG=1.
    pub(crate) fn watchdog(&self) {
        self.notifier.send("WATCHDOG=1");
    }
}
