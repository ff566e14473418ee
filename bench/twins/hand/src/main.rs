//! The twin written by hand, the way a careful `#[tokio::main]` service does it today: PORT
//! (bad value → exit 78), a tracing-subscriber `EnvFilter` logging to stdout, SIGTERM/SIGINT
//! through `tokio::signal`, a `TaskTracker` drain under a 9 s deadline, and the exit code.

#[path = "../../common/serve.rs"]
mod serve;

use std::process::ExitCode;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::signal::unix::{signal, SignalKind};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    let port: u16 = match std::env::var("PORT") {
        Err(_) => 8080,
        Ok(text) => match text.parse() {
            Ok(port) => port,
            Err(_) => {
                eprintln!("invalid PORT={text:?}: expected an integer from 0 to 65535");
                return ExitCode::from(78);
            }
        },
    };
    // The same log contract as the twin: text by default, one JSON object per line with
    // LOG_FORMAT=json.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .with_writer(std::io::stdout);
    match std::env::var("LOG_FORMAT").as_deref() {
        #[cfg(feature = "json")]
        Ok("json") => builder.json().init(),
        #[cfg(not(feature = "json"))]
        Ok("json") => {
            eprintln!("invalid LOG_FORMAT=\"json\": JSON logs are off in this build");
            return ExitCode::from(78);
        }
        _ => builder.init(),
    }

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

    let listener = match TcpListener::bind(("0.0.0.0", port)).await {
        Ok(listener) => listener,
        Err(error) => {
            tracing::error!(%error, port, "cannot listen");
            return ExitCode::FAILURE;
        }
    };
    tracing::info!(addr = %listener.local_addr().map_or_else(|e| e.to_string(), |a| a.to_string()), "listening");
    tracing::info!(port, "twin ready");
    let tracker = TaskTracker::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    tracker.spawn(serve::serve(stream));
                }
                Err(error) => {
                    tracing::error!(%error, "accept failed");
                    return ExitCode::FAILURE;
                }
            },
            () = shutdown.cancelled() => break,
        }
    }
    drop(listener);
    tracker.close();
    match tokio::time::timeout(Duration::from_secs(9), tracker.wait()).await {
        Ok(()) => {
            tracing::info!("shutdown complete");
            ExitCode::SUCCESS
        }
        Err(_) => {
            tracing::error!(tasks = tracker.len(), "shutdown deadline passed");
            ExitCode::FAILURE
        }
    }
}
