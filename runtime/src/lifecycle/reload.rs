//! Reloading in place on SIGHUP, for the services that ask for it with
//! [`App::reloads`](crate::App::reloads). Without that, SIGHUP stops the process like SIGTERM.
//! With it, each SIGHUP tells systemd `RELOADING=1` (with `MONOTONIC_USEC`, as
//! `Type=notify-reload` wants), hands the service a [`Reload`], and sends `READY=1` when the
//! service is done with it.

use crate::shared::Shared;
use std::sync::Arc;
use tokio::sync::mpsc::UnboundedReceiver;

/// The reload requests of a service that reloads on SIGHUP; from
/// [`App::reloads`](crate::App::reloads).
pub struct Reloads {
    requests: UnboundedReceiver<()>,
    shared: Arc<Shared>,
}

/// One reload request. Reload, then call [`done`](Reload::done) (or drop it): systemd gets
/// `READY=1` and the log says the reload finished.
#[must_use = "systemd waits for the reload to finish: call `done()` once reloaded"]
pub struct Reload {
    shared: Arc<Shared>,
}

impl Reloads {
    pub(crate) fn new(requests: UnboundedReceiver<()>, shared: Arc<Shared>) -> Reloads {
        Reloads { requests, shared }
    }

    /// The next SIGHUP; `None` once the shutdown has begun (or when a later
    /// [`App::reloads`](crate::App::reloads) took the requests over).
    pub async fn next(&mut self) -> Option<Reload> {
        let token = self.shared.token.clone();
        tokio::select! {
            biased;
            () = token.cancelled() => None,
            request = self.requests.recv() => request.map(|()| Reload { shared: self.shared.clone() }),
        }
    }
}

impl Reload {
    /// The service has reloaded: `READY=1` to systemd.
    pub fn done(self) {}
}

impl Drop for Reload {
    fn drop(&mut self) {
        self.shared.reloaded();
    }
}

impl std::fmt::Debug for Reloads {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reloads").finish_non_exhaustive()
    }
}

impl std::fmt::Debug for Reload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reload").finish_non_exhaustive()
    }
}
