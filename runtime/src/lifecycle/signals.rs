//! SIGTERM, SIGINT and SIGHUP, installed before user code runs (which also makes them work as
//! PID 1, where the kernel applies no default action).
//!
//! SIGHUP is a reload request instead for a service that asked for them (`app.reloads()`, see
//! `reload.rs`). The first of them starts the stop ([`stop::begin`]): STOPPING=1, `SHUTDOWN_DELAY`, then
//! `app.shutdown()` resolves. Afterwards SIGTERM and SIGHUP are logged and ignored (Heroku and foreman repeat
//! them); SIGINT exits at once with code 130 (Ctrl-C twice).

use crate::exit_code;
use crate::lifecycle::exit::exit;
use crate::lifecycle::stop;
use crate::shared::Shared;
use std::io;
use std::sync::Arc;
use tokio::signal::unix::{signal, Signal, SignalKind};

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
    pub(crate) async fn watch(mut self, shared: Arc<Shared>) {
        let token = shared.token.clone();
        let first = loop {
            let received = tokio::select! {
                received = self.recv() => received,
                // Shutdown began without a signal (main returned, or the program cancelled the
                // token): signals from now on are handled as during any shutdown.
                () = token.cancelled() => return self.during_shutdown().await,
            };
            // A service that takes reload requests gets SIGHUP as one.
            if received == Received::Hup && shared.request_reload() {
                tracing::info!(target: "twelve_factor", signal = "SIGHUP", "received SIGHUP, reloading");
                continue;
            }
            break received;
        };
        tracing::info!(target: "twelve_factor", signal = first.name(), "received {}, shutting down", first.name());
        let begin = stop::begin(&shared, shared.vars.shutdown_delay);
        tokio::join!(begin, self.during_shutdown());
    }

    /// Signals once the shutdown has begun; never returns.
    async fn during_shutdown(&mut self) {
        loop {
            let received = self.recv().await;
            if received == Received::Int {
                tracing::warn!(target: "twelve_factor", "received SIGINT while shutting down; exiting now without finishing the drain");
                exit(exit_code::FORCED);
            }
            tracing::info!(target: "twelve_factor",
                signal = received.name(),
                "received {} while already shutting down; ignoring it",
                received.name()
            );
        }
    }
}
