//! SIGTERM, SIGINT and SIGHUP, installed before user code runs (which also makes them work as
//! PID 1, where the kernel applies no default action).
//!
//! The first of them starts the shutdown: STOPPING=1, `SHUTDOWN_DELAY`, then `app.shutdown()`
//! resolves. Afterwards SIGTERM and SIGHUP are logged and ignored (Heroku and foreman repeat
//! them); SIGINT exits at once with code 130 (Ctrl-C twice).

use crate::app::App;
use crate::exit_code;
use std::io;
use tokio::signal::unix::{signal, Signal, SignalKind};

/// The signals the shutdown listens to.
const SHUTDOWN_SIGNALS: [libc::c_int; 3] = [libc::SIGTERM, libc::SIGINT, libc::SIGHUP];

/// Blocks the shutdown signals on the calling thread, before any other thread exists, so that
/// one arriving before the handlers are installed waits instead of killing the process with
/// the default action. Threads started afterwards (the runtime's) inherit the mask and keep it,
/// and the log writer, started later by whichever thread logs first, blocks them itself;
/// [`release`] unblocks the main thread once the handlers exist, so the signals are then
/// delivered there. Child processes start with an empty mask (std resets it).
pub(crate) fn hold() {
    set_mask(libc::SIG_BLOCK);
}

/// Unblocks the shutdown signals on the calling thread; pending ones are delivered now.
pub(crate) fn release() {
    set_mask(libc::SIG_UNBLOCK);
}

fn set_mask(how: libc::c_int) {
    // SAFETY: the set is initialised by sigemptyset before use, and pthread_sigmask only
    // changes the calling thread's mask.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        for signal in SHUTDOWN_SIGNALS {
            libc::sigaddset(&mut set, signal);
        }
        libc::pthread_sigmask(how, &set, std::ptr::null_mut());
    }
}

/// Which signal arrived.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Received {
    Term,
    Int,
    Hup,
}

impl Received {
    fn name(self) -> &'static str {
        match self {
            Received::Term => "SIGTERM",
            Received::Int => "SIGINT",
            Received::Hup => "SIGHUP",
        }
    }
}

/// The installed handlers.
pub(crate) struct Signals {
    term: Signal,
    int: Signal,
    hup: Signal,
}

impl Signals {
    /// Installs the handlers; must be called inside the runtime.
    pub(crate) fn install() -> io::Result<Signals> {
        Ok(Signals {
            term: signal(SignalKind::terminate())?,
            int: signal(SignalKind::interrupt())?,
            hup: signal(SignalKind::hangup())?,
        })
    }

    async fn recv(&mut self) -> Received {
        tokio::select! {
            Some(()) = self.term.recv() => Received::Term,
            Some(()) = self.int.recv() => Received::Int,
            Some(()) = self.hup.recv() => Received::Hup,
        }
    }

    /// Runs for the life of the process: turns the first signal into a shutdown and handles the
    /// ones after it.
    pub(crate) async fn watch(mut self, app: App) {
        let token = app.cancellation_token();
        let first = tokio::select! {
            received = self.recv() => received,
            // Shutdown began without a signal (main returned, or the program cancelled the
            // token): signals from now on are handled as during any shutdown.
            () = token.cancelled() => return self.during_shutdown().await,
        };
        tracing::info!(target: "twelve_factor", signal = first.name(), "received {}, shutting down", first.name());
        app.shared().stopping();
        let delay = app.shared().config.shutdown_delay;
        let begin = async {
            if !delay.is_zero() {
                tracing::info!(target: "twelve_factor",
                    delay = %crate::duration::display(delay),
                    "still serving for SHUTDOWN_DELAY before draining"
                );
                tokio::time::sleep(delay).await;
            }
            app.cancellation_token().cancel();
        };
        tokio::join!(begin, self.during_shutdown());
    }

    /// Signals once the shutdown has begun; never returns.
    async fn during_shutdown(&mut self) {
        loop {
            let received = self.recv().await;
            if received == Received::Int {
                tracing::warn!(target: "twelve_factor", "received SIGINT while shutting down; exiting now without finishing the drain");
                exit_code::exit(exit_code::FORCED);
            }
            tracing::info!(target: "twelve_factor",
                signal = received.name(),
                "received {} while already shutting down; ignoring it",
                received.name()
            );
        }
    }
}
