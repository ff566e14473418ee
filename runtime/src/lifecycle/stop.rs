//! The stop, as a plan of named phases. However the shutdown begins (a signal, `main`
//! returning, the token cancelled), it runs the same phases in the same order:
//!
//! 1. [`begin`]: readiness off (`/readyz` answers 503) and STOPPING=1 to systemd; after a
//!    signal, `SHUTDOWN_DELAY` of still serving; then the shutdown token, which resolves
//!    `app.shutdown()` and starts the deadline;
//! 2. the [`StopPlan`], walked under the deadline: `main` (when its shape says the stop waits
//!    for it), then the tracked tasks;
//! 3. the log flush, in `exit()`.
//!
//! A missed deadline names every phase left unfinished. A new part that must stop in order
//! (a worker pool, another listener, a telemetry exporter) is a new [`Phase`].

use crate::config::duration;
use crate::lifecycle::spec::MainShape;
use crate::shared::Shared;
use std::future::Future;
use std::time::Duration;
use tokio::time::{timeout_at, Instant};

/// Starts the stop: readiness off and STOPPING=1, then `delay` of still serving (zero unless
/// a signal began the stop), then the shutdown token. Every step is idempotent, so the signal
/// watcher and the start-up's supervision of `main` may both call it.
pub(crate) async fn begin(shared: &Shared, delay: Duration) {
    shared.stopping();
    if !delay.is_zero() {
        tracing::info!(target: "twelve_factor",
            delay = %duration::display(delay),
            "still serving for SHUTDOWN_DELAY before draining"
        );
        tokio::time::sleep(delay).await;
    }
    shared.token.cancel();
}

/// One phase the stop waits for under the deadline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Phase {
    /// `main` returning (it saw `app.shutdown()` resolve).
    Main,
    /// The tasks `app.spawn` started: no new ones, and the running ones finish.
    Tasks,
    /// Telemetry still buffered (spans for the OTLP exporter) goes out; given up at the
    /// deadline without failing the stop.
    Telemetry,
}

/// The phases the stop waits for, in order.
#[derive(Debug)]
pub(crate) struct StopPlan {
    phases: Vec<Phase>,
}

/// The deadline passed: what was still running.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Missed {
    /// `main` had not returned.
    pub main_running: bool,
    /// Tracked tasks still running.
    pub tasks: usize,
}

impl StopPlan {
    /// The plan for a `main` of this shape.
    pub(crate) fn for_shape(shape: MainShape) -> StopPlan {
        let mut phases = Vec::with_capacity(3);
        if shape.waits_for_main() {
            phases.push(Phase::Main);
        }
        phases.push(Phase::Tasks);
        phases.push(Phase::Telemetry);
        StopPlan { phases }
    }

    /// Walks the phases until `deadline`. `main` is `main`'s future and `result` its output if
    /// it already returned; a `main` the plan does not wait for is dropped (cancelled) before
    /// the tasks phase. Returns `main`'s output, `None` when it was cancelled.
    pub(crate) async fn walk<F>(
        &self,
        shared: &Shared,
        main: F,
        mut result: Option<F::Output>,
        deadline: Instant,
    ) -> Result<Option<F::Output>, Missed>
    where
        F: Future + Unpin,
    {
        let mut main = Some(main);
        for (index, phase) in self.phases.iter().enumerate() {
            let finished = match phase {
                Phase::Main => match main.as_mut() {
                    Some(running) if result.is_none() => match timeout_at(deadline, running).await {
                        Ok(output) => {
                            result = Some(output);
                            true
                        }
                        Err(_) => false,
                    },
                    _ => true,
                },
                Phase::Tasks => {
                    drop(main.take());
                    shared.tracker.close();
                    timeout_at(deadline, shared.tracker.wait()).await.is_ok()
                }
                Phase::Telemetry => {
                    crate::log::otel::flush(deadline).await;
                    true
                }
            };
            if !finished {
                return Err(self.missed_at(index, shared));
            }
        }
        Ok(result)
    }

    /// What is unfinished when the deadline passes during phase `index`: that phase, and the
    /// later ones that have work left.
    fn missed_at(&self, index: usize, shared: &Shared) -> Missed {
        let mut missed = Missed {
            main_running: false,
            tasks: shared.tracker.len(),
        };
        for phase in &self.phases[index..] {
            if *phase == Phase::Main {
                missed.main_running = true;
            }
        }
        missed
    }
}

impl Missed {
    /// `main and 2 task(s) still running`, `main still running`, `3 task(s) still running`.
    pub(crate) fn describe(&self) -> String {
        let mut parts = Vec::with_capacity(2);
        if self.main_running {
            parts.push("main".to_owned());
        }
        // The tasks are named when they are what the deadline caught, or when they remain.
        if !self.main_running || self.tasks > 0 {
            parts.push(format!("{} task(s)", self.tasks));
        }
        format!("{} still running", parts.join(" and "))
    }

    /// Logs the missed deadline; the process then exits with code 1.
    pub(crate) fn log(&self, timeout: Duration) {
        tracing::error!(target: "twelve_factor",
            timeout = %duration::display(timeout),
            tasks = self.tasks,
            main_running = self.main_running,
            "shutdown deadline of {} passed with {}; exiting with code 1",
            duration::display(timeout),
            self.describe()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missed_deadline_names_what_is_unfinished() {
        let missed = |main_running, tasks| Missed {
            main_running,
            tasks,
        };
        assert_eq!(missed(true, 0).describe(), "main still running");
        assert_eq!(missed(true, 2).describe(), "main and 2 task(s) still running");
        assert_eq!(missed(false, 3).describe(), "3 task(s) still running");
    }

    #[test]
    fn the_plan_waits_for_main_only_when_it_takes_an_app_and_returns() {
        assert_eq!(
            StopPlan::for_shape(MainShape::TakesApp).phases,
            [Phase::Main, Phase::Tasks, Phase::Telemetry]
        );
        for shape in [MainShape::NoApp, MainShape::NeverReturns] {
            assert_eq!(
                StopPlan::for_shape(shape).phases,
                [Phase::Tasks, Phase::Telemetry]
            );
        }
    }
}
