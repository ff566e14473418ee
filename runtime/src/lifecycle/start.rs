//! The start and the supervision of `main`: `TWELVE_FACTOR_MANIFEST` (emit or check, exit) →
//! the command line (`command_line.rs`) → hold the signals → runtime (its threads start while
//! the rest runs) → configuration (exit 78 on any bad variable) → logging → signal handlers →
//! probes → `main` → the stop → exit code.

use crate::app::App;
use crate::config::error::{ConfigError, ConfigErrors};
use crate::config::runtime_vars::RuntimeVars;
use crate::cli::invocation::Invocation;
use crate::config::describe;
use crate::lifecycle::args::{ArgContext, MainArgs};
use crate::lifecycle::command_line::{self, program_name};
use crate::exit_code;
use crate::lifecycle::catch_unwind::CatchUnwind;
use crate::lifecycle::exit::exit;
use crate::lifecycle::main_fn::MainFn;
use crate::lifecycle::manifest::manifest_or_continue;
use crate::lifecycle::outcome::Outcome;
use crate::lifecycle::signals::Signals;
use crate::lifecycle::spec::MainSpec;
use crate::lifecycle::stop::{self, StopPlan};
use crate::lifecycle::executor;
use crate::listen::probes;
use crate::platform::{reaper, sigmask};
use crate::shared::Shared;
use std::future::Future;
use std::io::Write;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;

/// Runs `main` as a twelve-factor process and exits. The command line is answered first
/// (`--help`, `--version`, the process type), then `main`'s parameters are read with the
/// built-in variables, and every bad variable of both is reported before anything starts.
pub(crate) fn run<R: MainArgs, M: MainFn<R::Values>>(spec: MainSpec, params: R, main: M) -> ! {
    let spec = M::adjust(spec);
    // Before anything is read: `TWELVE_FACTOR_MANIFEST` emits or checks, then exits (it must
    // come before the command line, whose first argument may be a manifest folder).
    manifest_or_continue(&spec, params.variables(), spec.listeners, params.types());
    let invocation = command_line::answer(&spec, &params);
    sigmask::hold();
    // Built first, so that its worker threads start on the other cores while the variables are
    // read and logging is set up; an error is reported once logging exists.
    let runtime = executor::build(&spec);
    let one_off = invocation.one_off();
    let vars = RuntimeVars::from_env(&spec.defaults(), one_off);
    let mut context = ArgContext {
        selected: invocation.process.map(|(index, _)| index),
        ..ArgContext::default()
    };
    let values = params.take(&mut context);
    let telemetry = crate::log::otel::read_env();
    let (vars, values) = match (vars, values) {
        (Ok(vars), Some(values)) if context.errors.is_empty() && telemetry.is_empty() => (vars, values),
        (vars, _) => {
            let mut errors: Vec<ConfigError> = vars.err().into_iter().flatten().collect();
            errors.append(&mut context.errors);
            errors.extend(telemetry);
            config_failed(&ConfigErrors::from(errors))
        }
    };
    let service = command_line::program(&spec);
    crate::log::init(
        &vars,
        crate::log::Extras {
            service: &service,
            process: invocation.name(),
            layer: spec.layer,
            runtime: runtime.as_ref().ok().map(tokio::runtime::Runtime::handle),
        },
    );
    crate::metrics::install(&service, spec.version);
    let runtime = match runtime {
        Ok(runtime) => runtime,
        Err(error) => {
            tracing::error!(target: "twelve_factor", %error, "cannot start the tokio runtime");
            exit(exit_code::FAILURE)
        }
    };
    if let (Some(meant), Some(arg)) = (invocation.near_miss, invocation.args.first()) {
        tracing::warn!(target: "twelve_factor", "the first argument {arg:?} is no process type (did you mean {meant}?); it is passed to the program");
    }
    let unknown = context.unknown;
    let sources = context.sources;
    // Reported once `main` has had its first poll (a server has bound its port by then), so
    // that describing the configuration never delays the moment the service accepts.
    let started = move |shared: &Shared| {
        if !sources.is_empty() {
            let line = describe(&sources);
            // A one-off's stdout is its output (`svc export > dump.json`): the runtime's own
            // lines there only when asked for, at `RUST_LOG=debug`.
            if one_off {
                tracing::debug!(target: "twelve_factor", "configuration: {line}");
            } else {
                tracing::info!(target: "twelve_factor", "configuration: {line}");
            }
        }
        if let Some(unknown) = unknown {
            // Copying the environment costs more than reading it. A tracked task, so that a
            // `main` that returns at once still waits for the warnings.
            shared.tracker.spawn_on(
                async move {
                    for (name, closest) in unknown() {
                        tracing::warn!(target: "twelve_factor", "{name} is set but is not a variable of this service: did you mean {closest}?");
                    }
                },
                &shared.handle,
            );
        }
    };
    let main = move |app: App| main.call(app, values);
    let supervised = supervise(vars, invocation, spec, main, started);
    let code = executor::block_on(runtime, spec.flavor, supervised);
    exit(code)
}

async fn supervise<F, Fut, S>(
    vars: RuntimeVars,
    invocation: Invocation,
    spec: MainSpec,
    main: F,
    started: S,
) -> i32
where
    F: FnOnce(App) -> Fut,
    Fut: Future<Output = Outcome>,
    S: FnOnce(&Shared),
{
    // Handlers first, so that a signal arriving while `main` starts is never lost (and works
    // as PID 1, where unhandled SIGTERM does nothing).
    let signals = match Signals::install() {
        Ok(signals) => signals,
        Err(error) => {
            tracing::error!(target: "twelve_factor", %error, "cannot install signal handlers");
            return exit_code::FAILURE;
        }
    };
    // `block_on` polls this future on the main thread: signals that arrived while they were
    // held are delivered here now, to the handlers just installed.
    sigmask::release();
    let one_off = invocation.one_off();
    let shared = Shared::new(vars, invocation);
    let probes = match bind_probes(&shared).await {
        Ok(probes) => probes,
        Err(code) => return code,
    };
    reaper::start_if_pid1();
    tokio::spawn(signals.watch(shared.clone()));
    if let Some(interval) = shared.vars.watchdog {
        tokio::spawn(watchdog(shared.clone(), interval));
    }
    if spec.shape.ready_at_start() {
        App::new(shared.clone()).ready();
    }
    // Served from here on, before `main` runs; probes that connected since the bind waited in
    // the backlog, so they already see a `main` without `App` as ready.
    if let Some(listener) = probes {
        probes::spawn(listener, shared.readiness.clone());
    }

    let mut main = CatchUnwind::new(main(App::new(shared.clone())));
    let token = shared.token.clone();
    // `started` runs right after `main`'s first poll: a server binds its listener there, so
    // start-up reports never delay the moment it accepts.
    let mut started = Some(started);
    let first_poll_then_report = std::future::poll_fn(|cx| {
        let poll = Pin::new(&mut main).poll(cx);
        if let Some(started) = started.take() {
            started(shared.as_ref());
        }
        poll
    });
    let finished = tokio::select! {
        biased;
        result = first_poll_then_report => Some(result),
        () = token.cancelled() => None,
    };
    // From here on the process is shutting down, whichever way it began.
    stop::begin(&shared, Duration::ZERO).await;
    let timeout = shared.vars.shutdown_timeout;
    let deadline = Instant::now() + timeout;
    let plan = StopPlan::for_shape(spec.shape);
    let result = match plan.walk(&shared, main, finished, deadline).await {
        Ok(result) => result,
        Err(missed) => {
            missed.log(timeout);
            return exit_code::FAILURE;
        }
    };
    let outcome = match result {
        // Cancelled instead, like a `select!` against Ctrl-C.
        None => Outcome::Success,
        Some(Ok(outcome)) => outcome,
        Some(Err(_panic)) => {
            tracing::error!(target: "twelve_factor", "main panicked; exiting with code 101");
            return exit_code::PANIC;
        }
    };
    let failures = shared.failures();
    match outcome {
        // A part failed (already logged as an error): the process failed, whatever `main` says.
        Outcome::Success | Outcome::Exit(0) if !failures.is_empty() => {
            tracing::info!(target: "twelve_factor",
                "shutdown complete; exiting with code 1 because {} failed",
                failures.join(" and ")
            );
            exit_code::FAILURE
        }
        outcome => shutdown_complete(outcome, one_off),
    }
}

/// Logs how `main` ended and returns the exit code. A one-off's success is logged at debug
/// only: its stdout is its output.
fn shutdown_complete(outcome: Outcome, one_off: bool) -> i32 {
    match outcome {
        Outcome::Success | Outcome::Exit(0) => {
            if one_off {
                tracing::debug!(target: "twelve_factor", "shutdown complete");
            } else {
                tracing::info!(target: "twelve_factor", "shutdown complete");
            }
            exit_code::SUCCESS
        }
        Outcome::Exit(code) => {
            tracing::info!(target: "twelve_factor", code, "shutdown complete; main returned exit code {code}");
            i32::from(code)
        }
        Outcome::Failure(error) => {
            tracing::error!(target: "twelve_factor", %error, "main returned an error");
            exit_code::FAILURE
        }
        Outcome::Config(errors) => {
            write_config_errors(&errors);
            exit_code::CONFIG
        }
    }
}

/// Binds `HOST:HEALTH_PORT`, when set, for the probes. A failed bind ends the process (exit 1)
/// before `main` runs: a service whose probes cannot answer would only be restarted by its
/// orchestrator.
async fn bind_probes(shared: &Shared) -> Result<Option<tokio::net::TcpListener>, i32> {
    let Some(port) = shared.vars.health_port else {
        return Ok(None);
    };
    match probes::bind(std::net::SocketAddr::new(shared.vars.host, port)).await {
        Ok(listener) => {
            if let Ok(addr) = listener.local_addr() {
                tracing::info!(target: "twelve_factor", %addr, "serving probes on /livez and /readyz");
            }
            Ok(Some(listener))
        }
        Err(error) => {
            tracing::error!(target: "twelve_factor", %error, "cannot serve the probes");
            Err(exit_code::FAILURE)
        }
    }
}

/// Sends WATCHDOG=1 at half the interval systemd asked for, as `sd_watchdog_enabled(3)` advises.
async fn watchdog(shared: Arc<Shared>, interval: Duration) {
    let mut ticks = tokio::time::interval(interval / 2);
    loop {
        ticks.tick().await;
        shared.watchdog();
    }
}

/// One line per bad variable on stderr, nothing else (no log, no bind, no backtrace); exit 78.
fn config_failed(errors: &ConfigErrors) -> ! {
    write_config_errors(errors);
    exit(exit_code::CONFIG)
}

/// One line per bad variable on stderr, in one write.
fn write_config_errors(errors: &ConfigErrors) {
    let program = program_name();
    let mut lines = String::new();
    for error in errors {
        lines.push_str(&format!("{program}: {error}\n"));
    }
    // One write, so that the lines stay together when stderr is shared.
    let _ = std::io::stderr().write_all(lines.as_bytes());
}
