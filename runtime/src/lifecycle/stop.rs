//! The stop, as a plan of named phases. However the shutdown begins (a signal, `main`
//! returning, the token cancelled), it runs the same phases in the same order:
//!
//! 1. [`begin`]: readiness off (`/readyz` answers 503) and STOPPING=1 to systemd; after a
//!    signal, `SHUTDOWN_DELAY` of still serving; then the shutdown token, which resolves
//!    `app.shutdown()` and starts the deadline;
//! 2. the [`StopPlan`], walked under the deadline: `main` (when its shape says the stop waits
//!    for it: the servers drain there), then the tracked tasks, then the workers, told one at
//!    a time in reverse order of registration;
//! 3. the log flush, in `exit()`.
//!
//! A missed deadline names every phase left unfinished. A new part that must stop in order
//! (a worker pool, another listener, a telemetry exporter) is a new [`Phase`].

use crate::config::duration;
use crate::lifecycle::spec::MainShape;
use crate::shared::{Shared, Worker};
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
    /// The workers `app.worker` started: each told to stop in reverse order of registration,
    /// and awaited before the next is told.
    Workers,
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
    /// The workers still running (`worker "outbox"`), in the order they would be told.
    pub workers: Vec<String>,
}

impl StopPlan {
    /// The plan for a `main` of this shape.
    pub(crate) fn for_shape(shape: MainShape) -> StopPlan {
        let mut phases = Vec::with_capacity(4);
        if shape.waits_for_main() {
            phases.push(Phase::Main);
        }
        phases.push(Phase::Tasks);
        phases.push(Phase::Workers);
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
                Phase::Workers => stop_workers(shared.workers(), deadline).await,
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
            workers: shared
                .workers()
                .iter()
                .rev()
                .filter(|worker| !worker.done.is_cancelled())
                .map(Worker::label)
                .collect(),
        };
        for phase in &self.phases[index..] {
            if *phase == Phase::Main {
                missed.main_running = true;
            }
        }
        missed
    }
}

/// Tells each worker to stop, last registered first, and waits for it before telling the
/// next; `false` when the deadline passed first. Workers that already ended are skipped.
async fn stop_workers(workers: Vec<Worker>, deadline: Instant) -> bool {
    for worker in workers.into_iter().rev() {
        if worker.done.is_cancelled() {
            continue;
        }
        let started = Instant::now();
        worker.stop.cancel();
        if timeout_at(deadline, worker.done.cancelled()).await.is_err() {
            return false;
        }
        let took = started.elapsed();
        tracing::info!(target: "twelve_factor",
            worker = %worker.name,
            took = %duration::display(took),
            "{} stopped in {}",
            worker.label(),
            duration::display(took)
        );
    }
    true
}

impl Missed {
    /// `main and 2 task(s) still running`, `main still running`, `3 task(s) still running`,
    /// `main, worker "b" and worker "a" still running`.
    pub(crate) fn describe(&self) -> String {
        let mut parts = Vec::with_capacity(2 + self.workers.len());
        if self.main_running {
            parts.push("main".to_owned());
        }
        // The tasks are named when they are what the deadline caught, or when they remain.
        if (!self.main_running && self.workers.is_empty()) || self.tasks > 0 {
            parts.push(format!("{} task(s)", self.tasks));
        }
        parts.extend(self.workers.iter().cloned());
        let list = match parts.split_last() {
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
            None => String::new(),
        };
        format!("{list} still running")
    }

    /// Logs the missed deadline; the process then exits with code 1.
    pub(crate) fn log(&self, timeout: Duration) {
        tracing::error!(target: "twelve_factor",
            timeout = %duration::display(timeout),
            tasks = self.tasks,
            main_running = self.main_running,
            workers = %self.workers.join(", "),
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
            workers: Vec::new(),
        };
        assert_eq!(missed(true, 0).describe(), "main still running");
        assert_eq!(missed(true, 2).describe(), "main and 2 task(s) still running");
        assert_eq!(missed(false, 3).describe(), "3 task(s) still running");
        let workers = |main_running, tasks| Missed {
            workers: vec![r#"worker "b""#.to_owned(), r#"worker "a""#.to_owned()],
            ..missed(main_running, tasks)
        };
        assert_eq!(
            workers(true, 0).describe(),
            r#"main, worker "b" and worker "a" still running"#
        );
        assert_eq!(
            workers(false, 0).describe(),
            r#"worker "b" and worker "a" still running"#
        );
        assert_eq!(
            workers(false, 1).describe(),
            r#"1 task(s), worker "b" and worker "a" still running"#
        );
    }

    #[test]
    fn the_plan_waits_for_main_only_when_it_takes_an_app_and_returns() {
        assert_eq!(
            StopPlan::for_shape(MainShape::TakesApp).phases,
            [Phase::Main, Phase::Tasks, Phase::Workers, Phase::Telemetry]
        );
        for shape in [MainShape::NoApp, MainShape::NeverReturns] {
            assert_eq!(
                StopPlan::for_shape(shape).phases,
                [Phase::Tasks, Phase::Workers, Phase::Telemetry]
            );
        }
    }
}
