//! Health probes: readiness that follows the process from start to exit, with the knobs to
//! watch it (and test it). Run with `HEALTH_PORT` to get the probe listener.
//!
//! ```sh
//! HEALTH_PORT=9090 BIND_AFTER_MS=3000 cargo run --example probes
//! curl -i localhost:9090/readyz        # 503 not ready: starting, then 200 ready once bound
//! curl -i 'localhost:8080/not-ready?reason=database%20unreachable'
//! curl -i localhost:9090/readyz        # 503 not ready: database unreachable
//! curl -i localhost:8080/ready         # back to 200
//! ```
//!
//! Environment: `BIND_AFTER_MS` waits that long before binding `PORT` (a slow start);
//! `NOT_READY` calls `app.not_ready(NOT_READY)` before binding (a cache to warm).
//!
//! Routes on `PORT`: `/` answers `ok`, `/slow?ms=N` answers after N ms, `/not-ready?reason=R`
//! calls `app.not_ready(R)`, `/ready` calls `app.ready()`, `/readyz` answers `app.readiness()`
//! (readiness on the main port, for services that want no second port), and `/wedge?ms=N`
//! blocks the runtime's only thread for N ms, as a stuck handler would (the runtime is
//! `current_thread`, so liveness on `HEALTH_PORT` stops answering meanwhile).

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use std::time::Duration;
use twelve_factor::App;

#[derive(Deserialize)]
struct Millis {
    ms: u64,
}

#[derive(Deserialize)]
struct Reason {
    reason: String,
}

fn router(app: App) -> Router {
    Router::new()
        .route("/", get(|| async { "ok\n" }))
        .route(
            "/slow",
            get(|Query(slow): Query<Millis>| async move {
                tokio::time::sleep(Duration::from_millis(slow.ms)).await;
                format!("slept {} ms\n", slow.ms)
            }),
        )
        .route(
            "/not-ready",
            get(
                |State(app): State<App>, Query(why): Query<Reason>| async move {
                    app.not_ready(why.reason);
                    format!("{}\n", app.readiness())
                },
            ),
        )
        .route(
            "/ready",
            get(|State(app): State<App>| async move {
                app.ready();
                format!("{}\n", app.readiness())
            }),
        )
        .route("/readyz", get(readyz))
        .route(
            "/wedge",
            get(|Query(wedge): Query<Millis>| async move {
                // Deliberately blocking: this is the bug a liveness probe exists to catch.
                std::thread::sleep(Duration::from_millis(wedge.ms));
                "unwedged\n"
            }),
        )
        .with_state(app)
}

/// Readiness served on the main port, from the same state as `/readyz` on `HEALTH_PORT`.
async fn readyz(State(app): State<App>) -> (StatusCode, String) {
    let readiness = app.readiness();
    let status =
        StatusCode::from_u16(readiness.status_code()).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
    (status, format!("{readiness}\n"))
}

fn env_millis(name: &str) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|ms| ms.parse().ok())
        .unwrap_or(0)
}

#[twelve_factor::main(flavor = "current_thread")]
async fn main(app: App) -> Result<(), Box<dyn std::error::Error>> {
    if let Ok(reason) = std::env::var("NOT_READY") {
        app.not_ready(reason);
    }
    tokio::time::sleep(Duration::from_millis(env_millis("BIND_AFTER_MS"))).await;
    let listener = app.listener().await?;
    axum::serve(listener, router(app.clone()))
        .with_graceful_shutdown(app.shutdown())
        .await?;
    tracing::info!("all requests drained");
    Ok(())
}
