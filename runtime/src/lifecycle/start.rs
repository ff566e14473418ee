//! The process lifecycle: runtime (its threads start while the rest runs) → configuration →
//! logging → signal handlers → `main` → drain under the deadline → exit code.

use crate::app::App;
use crate::catch_unwind::CatchUnwind;
use crate::config::Config;
use crate::config_error::{ConfigError, ConfigErrors};
use crate::duration;
use crate::exit_code::{self, exit};
use crate::report::Outcome;
use crate::settings::{Flavor, Settings};
use crate::signals::Signals;
use crate::user_config::{ConfigReader, NO_CONFIG};
use std::future::Future;
use std::pin::Pin;
use std::io::Write;
use std::time::Duration;
use tokio::time::{timeout_at, Instant};

/// Runs an `async fn main` as a twelve-factor process and exits; called by the expansion.
pub fn run_async<F, Fut>(settings: Settings, main: F) -> !
where
    F: FnOnce(App) -> Fut,
    Fut: Future<Output = Outcome>,
{
    run_async_with(settings, NO_CONFIG, move |app, ()| main(app))
}

/// Runs an `async fn main(app, config: C)`: `C` is read with the built-in variables, and every
/// bad variable of both is reported before anything starts.
pub fn run_async_with<C, F, Fut>(settings: Settings, reader: ConfigReader<C>, main: F) -> !
where
    F: FnOnce(App, C) -> Fut,
    Fut: Future<Output = Outcome>,
{
    crate::signals::hold();
    // Built first, so that its worker threads start on the other cores while the variables are
    // read and logging is set up; an error is reported once logging exists.
    let runtime = build_runtime(&settings);
    let config = Config::from_env(&settings);
    let user = (reader.read)();
    let (config, user_config) = match (config, user.result) {
        (Ok(config), Ok(user_config)) => (config, user_config),
        (config, user_config) => {
            let mut errors: Vec<ConfigError> = config.err().into_iter().flatten().collect();
            errors.extend(user_config.err().into_iter().flatten());
            config_failed(&ConfigErrors::from(errors))
        }
    };
    crate::logging::init(&config);
    let runtime = match runtime {
        Ok(runtime) => runtime,
        Err(error) => {
            tracing::error!(target: "twelve_factor", %error, "cannot start the tokio runtime");
            exit(exit_code::FAILURE)
        }
    };
    // A `main` without `App` cannot see the shutdown coming, and a `-> !` main never ends:
    // waiting for either would only run into the deadline, so the drain cancels them.
    let waits_for_main = settings.takes_app && settings.main_returns;
    let unknown = reader.unknown;
    let sources = user.sources;
    // Reported once `main` has had its first poll (a server has bound its port by then), so
    // that describing the configuration never delays the moment the service accepts.
    let started = move |app: &App| {
        if !sources.is_empty() {
            tracing::info!(target: "twelve_factor", "configuration: {}", crate::user_config::describe(&sources));
        }
        if let Some(unknown) = unknown {
            // Copying the environment costs more than reading it. A tracked task, so that a
            // `main` that returns at once still waits for the warnings.
            app.spawn(async move {
                for (name, closest) in unknown() {
                    tracing::warn!(target: "twelve_factor", "{name} is set but is not a variable of this service: did you mean {closest}?");
                }
            });
        }
    };
    let main = move |app: App| main(app, user_config);
    let supervised = supervise(config, settings.takes_app, waits_for_main, main, started);
    let code = match settings.flavor {
        // `main` runs inside the `LocalSet`, so `tokio::task::spawn_local` works there.
        Flavor::Local => tokio::task::LocalSet::new().block_on(&runtime, supervised),
        Flavor::CurrentThread | Flavor::MultiThread => runtime.block_on(supervised),
    };
    exit(code)
}

/// Runs a synchronous `fn main` as a twelve-factor process and exits: `main` runs on a blocking
/// thread while a current-thread runtime handles signals, the deadline and `App::spawn`ed tasks.
pub fn run_sync<F>(settings: Settings, main: F) -> !
where
    F: FnOnce(App) -> Outcome + Send + 'static,
{
    run_sync_with(settings, NO_CONFIG, move |app, ()| main(app))
}

/// Runs a synchronous `fn main(app, config: C)`; see [`run_async_with`] and [`run_sync`].
pub fn run_sync_with<C, F>(settings: Settings, reader: ConfigReader<C>, main: F) -> !
where
    C: Send + 'static,
    F: FnOnce(App, C) -> Outcome + Send + 'static,
{
    let settings = Settings {
        flavor: Flavor::CurrentThread,
        ..settings
    };
    run_async_with(settings, reader, move |app, user_config: C| async move {
        match tokio::task::spawn_blocking(move || main(app, user_config)).await {
            Ok(outcome) => outcome,
            // Already logged by the panic hook; re-raise it so it counts as main's panic.
            Err(error) => match error.try_into_panic() {
                Ok(panic) => std::panic::resume_unwind(panic),
                Err(error) => Outcome::Failure(error.to_string()),
            },
        }
    })
}

fn build_runtime(settings: &Settings) -> std::io::Result<tokio::runtime::Runtime> {
    let mut builder = match settings.flavor {
        Flavor::CurrentThread | Flavor::Local => tokio::runtime::Builder::new_current_thread(),
        Flavor::MultiThread => tokio::runtime::Builder::new_multi_thread(),
    };
    if let Some(threads) = settings.worker_threads {
        builder.worker_threads(threads);
    }
    if let Some(name) = settings.thread_name {
        builder.thread_name(name);
    }
    builder.enable_all().build()
}

async fn supervise<F, Fut, S>(
    config: Config,
    takes_app: bool,
    waits_for_main: bool,
    main: F,
    started: S,
) -> i32
where
    F: FnOnce(App) -> Fut,
    Fut: Future<Output = Outcome>,
    S: FnOnce(&App),
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
    crate::signals::release();
    let app = App::new(config);
    let probes = match bind_probes(&app).await {
        Ok(probes) => probes,
        Err(code) => return code,
    };
    crate::reaper::start_if_pid1();
    tokio::spawn(signals.watch(app.clone()));
    if let Some(interval) = app.shared().config.watchdog {
        tokio::spawn(watchdog(app.clone(), interval));
    }
    if !takes_app {
        app.ready();
    }
    // Served from here on, before `main` runs; probes that connected since the bind waited in
    // the backlog, so they already see a `main` without `App` as ready.
    if let Some(listener) = probes {
        crate::health::spawn(listener, app.clone());
    }

    let mut main = CatchUnwind::new(main(app.clone()));
    let token = app.cancellation_token();
    // `started` runs right after `main`'s first poll: a server binds its listener there, so
    // start-up reports never delay the moment it accepts.
    let mut started = Some(started);
    let first_poll_then_report = std::future::poll_fn(|cx| {
        let poll = Pin::new(&mut main).poll(cx);
        if let Some(started) = started.take() {
            started(&app);
        }
        poll
    });
    let finished = tokio::select! {
        biased;
        result = first_poll_then_report => Some(result),
        () = token.cancelled() => None,
    };
    // From here on the process is shutting down, whichever way it began.
    token.cancel();
    app.shared().stopping();
    let timeout = app.shutdown_timeout();
    let deadline = Instant::now() + timeout;
    let result = match finished {
        Some(result) => result,
        // Cancelled instead, like a `select!` against Ctrl-C.
        None if !waits_for_main => Ok(Outcome::Success),
        None => match timeout_at(deadline, &mut main).await {
            Ok(result) => result,
            Err(_) => return deadline_passed(&app, timeout, true),
        },
    };
    drop(main);
    app.tracker().close();
    if timeout_at(deadline, app.tracker().wait()).await.is_err() {
        return deadline_passed(&app, timeout, false);
    }
    match result {
        Ok(Outcome::Success) => {
            tracing::info!(target: "twelve_factor", "shutdown complete");
            exit_code::SUCCESS
        }
        Ok(Outcome::Exit(0)) => {
            tracing::info!(target: "twelve_factor", "shutdown complete");
            exit_code::SUCCESS
        }
        Ok(Outcome::Exit(code)) => {
            tracing::info!(target: "twelve_factor", code, "shutdown complete; main returned exit code {code}");
            i32::from(code)
        }
        Ok(Outcome::Failure(error)) => {
            tracing::error!(target: "twelve_factor", %error, "main returned an error");
            exit_code::FAILURE
        }
        Err(_panic) => {
            tracing::error!(target: "twelve_factor", "main panicked; exiting with code 101");
            exit_code::PANIC
        }
    }
}

fn deadline_passed(app: &App, timeout: Duration, main_running: bool) -> i32 {
    let tasks = app.tracker().len();
    let what = match (main_running, tasks) {
        (true, 0) => "main still running".to_owned(),
        (true, n) => format!("main and {n} task(s) still running"),
        (false, n) => format!("{n} task(s) still running"),
    };
    tracing::error!(target: "twelve_factor",
        timeout = %duration::display(timeout),
        tasks,
        main_running,
        "shutdown deadline of {} passed with {what}; exiting with code 1",
        duration::display(timeout)
    );
    exit_code::FAILURE
}

/// Binds `HOST:HEALTH_PORT`, when set, for the probes. A failed bind ends the process (exit 1)
/// before `main` runs: a service whose probes cannot answer would only be restarted by its
/// orchestrator.
async fn bind_probes(app: &App) -> Result<Option<tokio::net::TcpListener>, i32> {
    let Some(port) = app.shared().config.health_port else {
        return Ok(None);
    };
    match crate::health::bind(std::net::SocketAddr::new(app.host(), port)).await {
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
async fn watchdog(app: App, interval: Duration) {
    let mut ticks = tokio::time::interval(interval / 2);
    loop {
        ticks.tick().await;
        app.shared().watchdog();
    }
}

/// One line per bad variable on stderr, nothing else (no log, no bind, no backtrace); exit 78.
fn config_failed(errors: &ConfigErrors) -> ! {
    let program = program_name();
    let mut lines = String::new();
    for error in errors {
        lines.push_str(&format!("{program}: {error}\n"));
    }
    // One write, so that the lines stay together when stderr is shared.
    let _ = std::io::stderr().write_all(lines.as_bytes());
    exit(exit_code::CONFIG)
}

fn program_name() -> String {
    std::env::args_os()
        .next()
        .map(std::path::PathBuf::from)
        .and_then(|path| {
            path.file_name()
                .map(|name| name.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| "twelve_factor".to_owned())
}
