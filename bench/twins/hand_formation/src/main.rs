//! The formation twin by hand, as a careful `#[tokio::main]` service does it: PORT and
//! ADMIN_PORT (bad or equal → exit 78), a stdout subscriber, SIGTERM/SIGINT, two accept loops
//! raced in one `select!`, a `TaskTracker` drain, then the workers' tokens cancelled in reverse
//! order, all under one 9 s deadline.

#[path = "../../common/serve.rs"]
mod serve;
#[path = "../../common/workers.rs"]
mod workers;

use std::process::ExitCode;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::signal::unix::{signal, SignalKind};
use tokio::task::JoinHandle;
pub use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tracing_subscriber::EnvFilter;

fn port(name: &str, default: u16) -> Result<u16, String> {
    match std::env::var(name) {
        Err(_) => Ok(default),
        Ok(text) => text
            .parse()
            .map_err(|_| format!("invalid {name}={text:?}: expected an integer from 0 to 65535")),
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let ports = (port("PORT", 8080), port("ADMIN_PORT", 9091));
    let (main_port, admin_port) = match ports {
        (Ok(main), Ok(admin)) if main != admin || main == 0 => (main, admin),
        (main, admin) => {
            for error in [main.err(), admin.err()].into_iter().flatten() {
                eprintln!("{error}");
            }
            eprintln!("PORT and ADMIN_PORT must differ");
            return ExitCode::from(78);
        }
    };
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .with_writer(std::io::stdout)
        .init();

    let shutdown = CancellationToken::new();
    let (mut term, mut int) = match (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) {
        (Ok(term), Ok(int)) => (term, int),
        (Err(error), _) | (_, Err(error)) => {
            tracing::error!(%error, "cannot install signal handlers");
            return ExitCode::FAILURE;
        }
    };
    let token = shutdown.clone();
    tokio::spawn(async move {
        tokio::select! {
            _ = term.recv() => tracing::info!("received SIGTERM, shutting down"),
            _ = int.recv() => tracing::info!("received SIGINT, shutting down"),
        }
        token.cancel();
    });

    let mut workers: Vec<(
        &str,
        CancellationToken,
        JoinHandle<Result<(), std::io::Error>>,
    )> = Vec::new();
    let stop = CancellationToken::new();
    workers.push(("outbox", stop.clone(), tokio::spawn(workers::outbox(stop))));
    let stop = CancellationToken::new();
    workers.push((
        "dispatcher",
        stop.clone(),
        tokio::spawn(workers::dispatcher(stop)),
    ));

    let (main_listener, admin) = match (
        TcpListener::bind(("0.0.0.0", main_port)).await,
        TcpListener::bind(("0.0.0.0", admin_port)).await,
    ) {
        (Ok(main), Ok(admin)) => (main, admin),
        (Err(error), _) | (_, Err(error)) => {
            tracing::error!(%error, "cannot listen");
            return ExitCode::FAILURE;
        }
    };
    tracing::info!("twin ready");
    let tracker = TaskTracker::new();
    loop {
        tokio::select! {
            accepted = main_listener.accept() => match accepted {
                Ok((stream, _)) => { tracker.spawn(serve::serve(stream)); }
                Err(error) => { tracing::error!(%error, "accept failed"); return ExitCode::FAILURE; }
            },
            accepted = admin.accept() => match accepted {
                Ok((stream, _)) => { tracker.spawn(serve::serve(stream)); }
                Err(error) => { tracing::error!(%error, "accept failed"); return ExitCode::FAILURE; }
            },
            () = shutdown.cancelled() => break,
        }
    }
    drop((main_listener, admin));
    let deadline = tokio::time::Instant::now() + Duration::from_secs(9);
    tracker.close();
    if tokio::time::timeout_at(deadline, tracker.wait())
        .await
        .is_err()
    {
        tracing::error!(tasks = tracker.len(), "shutdown deadline passed");
        return ExitCode::FAILURE;
    }
    let mut failed = false;
    for (name, stop, handle) in workers.into_iter().rev() {
        stop.cancel();
        match tokio::time::timeout_at(deadline, handle).await {
            Ok(Ok(Ok(()))) => tracing::info!("worker {name:?} stopped"),
            Ok(_) => failed = true,
            Err(_) => {
                tracing::error!("shutdown deadline passed with worker {name:?} still running");
                return ExitCode::FAILURE;
            }
        }
    }
    if failed {
        return ExitCode::FAILURE;
    }
    tracing::info!("shutdown complete");
    ExitCode::SUCCESS
}
