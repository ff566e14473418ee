//! One binary runs every area, so a test that builds a package with cargo can share the machine
//! with a test that measures how fast a process reacts. The tests whose assertions are timings
//! (start-up within milliseconds, a log writer outrunning a pipe) take [`quiet`] for their
//! duration, and the cargo builds of `support::cargo` take it for theirs: the two never overlap.

use std::sync::{Mutex, MutexGuard};

static QUIET: Mutex<()> = Mutex::new(());

/// Holds off the cargo builds of other tests (or waits for the running one) until dropped.
/// Build what the test runs (e.g. with `example`) before taking it: those builds do not wait.
pub fn quiet() -> MutexGuard<'static, ()> {
    QUIET
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
