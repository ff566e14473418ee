//! Readiness: whether the process wants traffic now, and why not. One state shared by the
//! probe listener (`HEALTH_PORT`), [`App::readiness`](crate::App::readiness) and the systemd
//! notifications.
//!
//! Three inputs decide it, in this order of precedence:
//! 1. the shutdown has begun (the first SIGTERM/SIGINT/SIGHUP, or `main` ended): not ready,
//!    for good;
//! 2. the program said [`not_ready`](crate::App::not_ready) and has not said
//!    [`ready`](crate::App::ready) since: not ready, with its reason;
//! 3. the process has not started yet (no listener bound, no `ready()`): not ready, starting.
//!
//! Otherwise it is ready.

use std::fmt;
use std::sync::Mutex;

/// What [`App::readiness`](crate::App::readiness) reports, and what `GET /readyz` on
/// `HEALTH_PORT` answers: ready (200), or not ready (503) with a reason.
///
/// Its `Display` is the probe's body without the newline: `ready`, or `not ready: REASON`.
///
/// ```
/// use twelve_factor::Readiness;
///
/// let ready = Readiness::ready();
/// assert_eq!((ready.status_code(), ready.to_string()), (200, "ready".to_owned()));
///
/// let down = Readiness::not_ready("database unreachable");
/// assert!(!down.is_ready());
/// assert_eq!(down.status_code(), 503);
/// assert_eq!(down.reason(), Some("database unreachable"));
/// assert_eq!(down.to_string(), "not ready: database unreachable");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Readiness {
    reason: Option<String>,
}

impl Readiness {
    /// The reason readiness reports while the shutdown runs.
    pub const SHUTTING_DOWN: &'static str = "shutting down";
    /// The reason readiness reports before the process has started (no listener bound yet).
    pub const STARTING: &'static str = "starting";

    /// Ready: status 200.
    ///
    /// ```
    /// assert!(twelve_factor::Readiness::ready().is_ready());
    /// ```
    pub fn ready() -> Readiness {
        Readiness { reason: None }
    }

    /// Not ready because of `reason`: status 503.
    ///
    /// ```
    /// let r = twelve_factor::Readiness::not_ready("warming the cache");
    /// assert_eq!(r.reason(), Some("warming the cache"));
    /// ```
    pub fn not_ready(reason: impl Into<String>) -> Readiness {
        Readiness {
            reason: Some(reason.into()),
        }
    }

    /// Whether the process wants traffic.
    ///
    /// ```
    /// assert!(!twelve_factor::Readiness::not_ready("x").is_ready());
    /// ```
    pub fn is_ready(&self) -> bool {
        self.reason.is_none()
    }

    /// The HTTP status a readiness probe should answer: 200 when ready, 503 otherwise.
    ///
    /// ```
    /// assert_eq!(twelve_factor::Readiness::not_ready("x").status_code(), 503);
    /// ```
    pub fn status_code(&self) -> u16 {
        if self.is_ready() {
            200
        } else {
            503
        }
    }

    /// Why the process is not ready; `None` when it is.
    ///
    /// ```
    /// assert_eq!(twelve_factor::Readiness::ready().reason(), None);
    /// ```
    pub fn reason(&self) -> Option<&str> {
        self.reason.as_deref()
    }
}

impl fmt::Display for Readiness {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.reason {
            None => f.write_str("ready"),
            Some(reason) => write!(f, "not ready: {reason}"),
        }
    }
}

/// The mutable inputs behind [`Readiness`].
#[derive(Debug, Default)]
struct Inputs {
    started: bool,
    /// The listeners not bound yet; the process has started once none is left.
    waiting: Vec<&'static str>,
    held: Option<String>,
    shutting_down: bool,
    /// Whether the process has been ready at least once (READY=1 went to systemd).
    announced: bool,
}

impl Inputs {
    fn readiness(&self) -> Readiness {
        if self.shutting_down {
            Readiness::not_ready(Readiness::SHUTTING_DOWN)
        } else if let Some(reason) = &self.held {
            Readiness::not_ready(reason.clone())
        } else if !self.started {
            Readiness::not_ready(Readiness::STARTING)
        } else {
            Readiness::ready()
        }
    }
}

/// What a change did, so the caller can tell systemd and the log.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Change {
    /// Nothing visible changed.
    None,
    /// Ready for the first time: READY=1.
    FirstReady,
    /// Ready again after `not_ready`.
    ReadyAgain,
    /// Not ready any more (while serving), with this reason.
    NotReady(String),
}

/// The shared, thread-safe readiness state.
#[derive(Debug, Default)]
pub(crate) struct State {
    inputs: Mutex<Inputs>,
}

impl State {
    /// A state that starts once each of `listeners` is bound (or `ready()` is called).
    pub(crate) fn waiting_for(listeners: Vec<&'static str>) -> State {
        State {
            inputs: Mutex::new(Inputs {
                waiting: listeners,
                ..Inputs::default()
            }),
        }
    }

    /// The current readiness.
    pub(crate) fn get(&self) -> Readiness {
        self.lock().readiness()
    }

    /// The listener is bound: the process has started (an earlier `not_ready` still holds).
    #[cfg(test)]
    pub(crate) fn started(&self) -> Change {
        self.update(|inputs| inputs.started = true)
    }

    /// The listener `name` is bound: once every listener waited for is, the process has
    /// started.
    pub(crate) fn bound(&self, name: &str) -> Change {
        self.update(|inputs| {
            inputs.waiting.retain(|waiting| *waiting != name);
            if inputs.waiting.is_empty() {
                inputs.started = true;
            }
        })
    }

    /// `app.ready()`: started, and any `not_ready` reason is cleared.
    pub(crate) fn ready(&self) -> Change {
        self.update(|inputs| {
            inputs.started = true;
            inputs.held = None;
        })
    }

    /// `app.not_ready(reason)`.
    pub(crate) fn not_ready(&self, reason: String) -> Change {
        self.update(|inputs| inputs.held = Some(reason))
    }

    /// The shutdown began: not ready until the process exits.
    pub(crate) fn shutting_down(&self) {
        self.lock().shutting_down = true;
    }

    fn update(&self, change: impl FnOnce(&mut Inputs)) -> Change {
        let mut inputs = self.lock();
        let before = inputs.readiness();
        change(&mut inputs);
        let after = inputs.readiness();
        if before == after {
            return Change::None;
        }
        match after.reason {
            None if !inputs.announced => {
                inputs.announced = true;
                Change::FirstReady
            }
            None => Change::ReadyAgain,
            // Before the first READY=1 systemd is still waiting for the start; a reason given
            // then is reported all the same.
            Some(reason) if !inputs.shutting_down => Change::NotReady(reason),
            Some(_) => Change::None,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inputs> {
        // A panic while holding this lock cannot leave the plain fields inconsistent.
        self.inputs
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starting_then_ready_once_listening() {
        let state = State::default();
        assert_eq!(state.get(), Readiness::not_ready("starting"));
        assert_eq!(state.started(), Change::FirstReady);
        assert_eq!(state.get(), Readiness::ready());
        assert_eq!(state.started(), Change::None);
        assert_eq!(state.ready(), Change::None);
    }

    #[test]
    fn not_ready_holds_until_ready_and_outranks_the_bind() {
        let state = State::default();
        assert_eq!(
            state.not_ready("warming the cache".into()),
            Change::NotReady("warming the cache".into())
        );
        // Binding the listener does not override what the program said.
        assert_eq!(state.started(), Change::None);
        assert_eq!(state.get().reason(), Some("warming the cache"));
        assert_eq!(state.ready(), Change::FirstReady);
        assert_eq!(
            state.not_ready("database unreachable".into()),
            Change::NotReady("database unreachable".into())
        );
        assert_eq!(state.get().to_string(), "not ready: database unreachable");
        assert_eq!(state.ready(), Change::ReadyAgain);
        assert!(state.get().is_ready());
    }

    #[test]
    fn shutting_down_is_final() {
        let state = State::default();
        state.started();
        state.shutting_down();
        assert_eq!(state.get(), Readiness::not_ready("shutting down"));
        assert_eq!(state.ready(), Change::None);
        assert_eq!(state.not_ready("x".into()), Change::None);
        assert_eq!(state.get().reason(), Some(Readiness::SHUTTING_DOWN));
    }

    #[test]
    fn started_once_the_last_listener_is_bound() {
        let state = State::waiting_for(vec!["main", "admin", "grpc"]);
        assert_eq!(state.bound("admin"), Change::None);
        assert_eq!(state.bound("admin"), Change::None);
        assert_eq!(state.bound("main"), Change::None);
        assert_eq!(state.get().reason(), Some(Readiness::STARTING));
        assert_eq!(state.bound("grpc"), Change::FirstReady);
        assert!(state.get().is_ready());
        // `ready()` does not wait for the listeners.
        let state = State::waiting_for(vec!["main", "admin"]);
        assert_eq!(state.ready(), Change::FirstReady);
    }

    #[test]
    fn status_codes() {
        assert_eq!(Readiness::ready().status_code(), 200);
        assert_eq!(Readiness::not_ready("starting").status_code(), 503);
    }
}
