//! The process's state behind every [`App`](crate::App) clone: the runtime's variables, the
//! shutdown token, the tracked tasks, the workers, readiness and the systemd notifier. The
//! lifecycle works on it directly; `App` is the public view of it that `main` gets. Registries
//! of what the stop must wait for join it here.

use crate::cli::invocation::Invocation;
use crate::config::runtime_vars::RuntimeVars;
use crate::listen::readiness::{self, Change};
use crate::listen::spec::MAIN;
use crate::log::panic_hook;
use crate::platform::notify::Notifier;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
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
    /// Where SIGHUP goes as a reload request, once the service asked (`app.reloads()`).
    pub reload: std::sync::Mutex<Option<tokio::sync::mpsc::UnboundedSender<()>>>,
    /// The workers `app.worker` started, in the order they were registered.
    workers: Mutex<Vec<Worker>>,
    /// The parts that failed (`worker "outbox"`): the process exits with code 1.
    failures: Mutex<Vec<String>>,
    /// The selected process type and the program's own arguments.
    pub invocation: Invocation,
}

/// A worker `app.worker` started: told to stop through `stop`, finished when `done` is
/// cancelled.
#[derive(Clone, Debug)]
pub(crate) struct Worker {
    /// The name it was registered with.
    pub name: String,
    /// Cancelled by the stop, after `main` and the tracked tasks are done.
    pub stop: CancellationToken,
    /// Cancelled once the worker's future has ended, however it ended.
    pub done: CancellationToken,
}

impl Worker {
    /// `worker "outbox"`, as logs and the missed deadline name it.
    pub(crate) fn label(&self) -> String {
        format!("worker {:?}", self.name)
    }
}

impl Shared {
    /// The process's state; created once, inside the runtime.
    pub(crate) fn new(vars: RuntimeVars, invocation: Invocation) -> Arc<Shared> {
        let notifier = Notifier::new(vars.notify.as_ref());
        // Started once `main`'s listener and every declared one are bound.
        let mut waiting = vec![MAIN];
        waiting.extend(vars.listeners.iter().map(|(decl, _)| decl.name));
        Arc::new(Shared {
            readiness: Arc::new(readiness::State::waiting_for(waiting)),
            vars,
            token: CancellationToken::new(),
            tracker: TaskTracker::new(),
            notifier,
            stopping: AtomicBool::new(false),
            handle: tokio::runtime::Handle::current(),
            reload: std::sync::Mutex::new(None),
            workers: Mutex::default(),
            failures: Mutex::default(),
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

    /// SIGHUP arrived: when the service takes reload requests, `RELOADING=1` to systemd, the
    /// request to the service, and `true`; `false` when SIGHUP is to stop the process.
    pub(crate) fn request_reload(&self) -> bool {
        let guard = self.reload.lock().unwrap_or_else(|e| e.into_inner());
        let Some(sender) = guard.as_ref().filter(|s| !s.is_closed()) else {
            return false;
        };
        let mut now = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: `now` is a valid timespec to write into.
        unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut now) };
        let usec = i128::from(now.tv_sec) * 1_000_000 + i128::from(now.tv_nsec) / 1_000;
        self.notifier.send(&format!(
            "RELOADING=1\nMONOTONIC_USEC={usec}\nSTATUS=reloading"
        ));
        sender.send(()).is_ok()
    }

    /// The service finished a reload: `READY=1` to systemd.
    pub(crate) fn reloaded(&self) {
        tracing::info!(target: "twelve_factor", "reloaded");
        self.notifier.send("READY=1\nSTATUS=reloaded");
    }

    /// Sends WATCHDOG=1.
    pub(crate) fn watchdog(&self) {
        self.notifier.send("WATCHDOG=1");
    }
}

impl Shared {
    /// Starts the worker `name` on the runtime: `work` runs until it ends, or until the stop
    /// cancels `stop` and it returns. An `Err` or a panic is logged as one error naming it and
    /// starts the stop (exit 1); an early `Ok` is logged and changes nothing else.
    pub(crate) fn start_worker<F>(self: &Arc<Self>, name: String, stop: CancellationToken, work: F)
    where
        F: Future<Output = Result<(), String>> + Send + 'static,
    {
        let worker = Worker {
            name,
            stop,
            done: CancellationToken::new(),
        };
        // A panic in it is logged by the panic hook, as this worker's one failure event.
        let running = self
            .handle
            .spawn(panic_hook::in_part(worker.label().into(), work));
        let shared = Arc::clone(self);
        let watched = worker.clone();
        // Registered before it can end, so the stop always sees it.
        lock(&self.workers).push(worker);
        self.handle.spawn(async move {
            // `(error, already logged)`: the panic hook logged a panic as this worker's failure.
            let error = match running.await {
                Ok(Ok(())) => None,
                Ok(Err(error)) => Some((error, false)),
                Err(joined) => Some(match joined.try_into_panic() {
                    Ok(panic) => (format!("panicked: {}", panic_message(panic.as_ref())), true),
                    Err(joined) => (joined.to_string(), false),
                }),
            };
            let label = watched.label();
            match error {
                None if watched.stop.is_cancelled() => {}
                None => tracing::info!(target: "twelve_factor", worker = %watched.name, "{label} finished"),
                Some((error, logged)) => {
                    if !logged {
                        tracing::error!(target: "twelve_factor", worker = %watched.name, %error, "{label} failed: {error}");
                    }
                    lock(&shared.failures).push(label);
                    // Done before the stop begins, so the stop does not tell it again.
                    watched.done.cancel();
                    // The normal stop: readiness off, STOPPING=1, `app.shutdown()` resolves.
                    shared.stopping();
                    shared.token.cancel();
                }
            }
            watched.done.cancel();
        });
    }

    /// The workers, in the order they were registered.
    pub(crate) fn workers(&self) -> Vec<Worker> {
        lock(&self.workers).clone()
    }

    /// The parts that failed, in the order they failed.
    pub(crate) fn failures(&self) -> Vec<String> {
        lock(&self.failures).clone()
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // Every update is a single push: a panic cannot leave the list half-changed.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A panic's message, when it is a string.
fn panic_message(panic: &(dyn std::any::Any + Send)) -> &str {
    panic
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("Box<dyn Any>")
}
