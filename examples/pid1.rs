//! A service meant to run as PID 1 (a container without an init), with routes that make the
//! situations an init has to handle: orphaned grandchildren that must be reaped, and children of
//! its own whose exit codes it waits for.
//!
//! ```sh
//! cargo build --example pid1
//! sudo unshare --pid --fork --mount-proc target/debug/examples/pid1   # PID 1 in a new namespace
//! curl 'localhost:8080/orphans?n=50'      # 50 grandchildren re-parented to PID 1, then reaped
//! curl localhost:8080/zombies             # zombie processes in this PID namespace: 0
//! curl 'localhost:8080/status?code=7'     # std::process::Command::status() still sees exit 7
//! ```
//!
//! Routes: `/` answers `pid N`, `/slow?ms=N` answers after N ms, `/orphans?n=N` runs
//! `sh -c 'for i in $(seq N); do (sleep 0.1 &); done'` (each `sleep` is orphaned),
//! `/zombies` counts Z-state processes in `/proc`, `/status?code=C&ms=M` and
//! `/tokio-status?code=C&ms=M` run a child that lives M ms and exits with C, waited on with
//! `std::process::Command::status()` and `tokio::process::Command::status()`.

use axum::extract::Query;
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use std::time::Duration;

#[derive(Deserialize)]
struct Slow {
    ms: u64,
}

#[derive(Deserialize)]
struct Orphans {
    n: u32,
}

#[derive(Deserialize)]
struct Exit {
    code: u8,
    #[serde(default)]
    ms: u64,
}

fn script(exit: &Exit) -> String {
    format!(
        "sleep {}.{:03}; exit {}",
        exit.ms / 1000,
        exit.ms % 1000,
        exit.code
    )
}

fn describe(status: std::io::Result<std::process::ExitStatus>) -> String {
    match status {
        Ok(status) => match status.code() {
            Some(code) => format!("exit {code}\n"),
            None => format!("{status}\n"),
        },
        Err(error) => format!("error: {error}\n"),
    }
}

/// Zombie processes visible in `/proc` (all of them in this PID namespace under
/// `unshare --mount-proc`).
fn zombies() -> usize {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return 0;
    };
    entries
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
                stat.rfind(')')
                    .is_some_and(|end| stat[end + 1..].trim_start().starts_with('Z'))
            })
        })
        .count()
}

fn router() -> Router {
    Router::new()
        .route(
            "/",
            get(|| async { format!("pid {}\n", std::process::id()) }),
        )
        .route(
            "/slow",
            get(|Query(slow): Query<Slow>| async move {
                tracing::info!(ms = slow.ms, "slow request started");
                tokio::time::sleep(Duration::from_millis(slow.ms)).await;
                format!("slept {} ms\n", slow.ms)
            }),
        )
        .route(
            "/orphans",
            get(|Query(orphans): Query<Orphans>| async move {
                let script = format!("for i in $(seq {}); do (sleep 0.1 &); done", orphans.n);
                let status = tokio::process::Command::new("sh")
                    .args(["-c", &script])
                    .status()
                    .await;
                tracing::info!(n = orphans.n, "made orphans");
                describe(status)
            }),
        )
        .route("/zombies", get(|| async { format!("{}\n", zombies()) }))
        .route(
            "/status",
            get(|Query(exit): Query<Exit>| async move {
                let script = script(&exit);
                let status = tokio::task::spawn_blocking(move || {
                    std::process::Command::new("sh")
                        .args(["-c", &script])
                        .status()
                })
                .await
                .unwrap_or_else(|error| Err(std::io::Error::other(error)));
                describe(status)
            }),
        )
        .route(
            "/tokio-status",
            get(|Query(exit): Query<Exit>| async move {
                let status = tokio::process::Command::new("sh")
                    .args(["-c", &script(&exit)])
                    .status()
                    .await;
                describe(status)
            }),
        )
}

#[twelve_factor::main]
async fn main(app: twelve_factor::App) -> Result<(), Box<dyn std::error::Error>> {
    tracing::info!(pid = std::process::id(), "starting");
    let listener = app.listener().await?;
    axum::serve(listener, router())
        .with_graceful_shutdown(app.shutdown())
        .await?;
    tracing::info!("all requests drained");
    Ok(())
}
