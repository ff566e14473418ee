//! One process, several parts: HTTP on `PORT`, a second listener on `GRPC_PORT` (an axum
//! router standing in for a gRPC server), and two background workers, stopped in order.
//!
//! ```sh
//! cargo run --example formation
//! curl localhost:8080/            # http
//! curl localhost:50051/           # grpc
//! GRPC_PORT=6000 TICK_MS=200 cargo run --example formation
//! ```
//!
//! `TICK_MS` (1000) paces the workers; `GRPC_WARMUP_MS` (0) is how long the grpc side loads
//! before it binds (the process is not ready until it has).
//!
//! On SIGTERM: `/readyz` answers 503 and both listeners keep serving for `SHUTDOWN_DELAY`; then
//! both servers drain and `main` returns; then the workers are told to stop, last registered
//! first (`dispatcher`, then `outbox`), each awaited before the next. `SHUTDOWN_TIMEOUT` covers
//! all of it.

use axum::routing::get;
use axum::Router;
use std::future::IntoFuture;
use std::time::Duration;
use twelve_factor::{App, CancellationToken};

#[twelve_factor::main(listeners(grpc = 50051))]
async fn main(app: App) -> Result<(), Box<dyn std::error::Error>> {
    let tick = Duration::from_millis(
        std::env::var("TICK_MS")
            .ok()
            .and_then(|ms| ms.parse().ok())
            .unwrap_or(1_000),
    );
    // Registered first, stopped last: the dispatcher may still write to the outbox.
    app.worker("outbox", move |stop| outbox(stop, tick));
    app.worker("dispatcher", move |stop| dispatcher(stop, tick));

    // Ready (READY=1, `/readyz` 200) once both are bound.
    let http = app.listener().await?;
    let warmup = std::env::var("GRPC_WARMUP_MS")
        .ok()
        .and_then(|ms| ms.parse().ok());
    tokio::time::sleep(Duration::from_millis(warmup.unwrap_or(0))).await;
    let grpc = app.listener_named("grpc").await?;
    let http = axum::serve(http, Router::new().route("/", get(|| async { "http\n" })))
        .with_graceful_shutdown(app.shutdown());
    let grpc = axum::serve(grpc, Router::new().route("/", get(|| async { "grpc\n" })))
        .with_graceful_shutdown(app.shutdown());
    let (http, grpc) = tokio::join!(http.into_future(), grpc.into_future());
    http?;
    grpc?;
    tracing::info!("servers drained");
    Ok(())
}

/// Sends what the outbox holds, every `tick`, until told to stop; then one last flush.
async fn outbox(stop: CancellationToken, tick: Duration) -> Result<(), std::io::Error> {
    let mut sent = 0_u64;
    while !stop.is_cancelled() {
        tokio::select! {
            () = stop.cancelled() => {}
            () = tokio::time::sleep(tick) => {
                sent += 1;
                tracing::info!(sent, "outbox: flushed");
            }
        }
    }
    tracing::info!(sent, "outbox: last flush done");
    Ok(())
}

/// Runs one job per `tick`; a job is never cut in half: the stop is looked at between jobs.
async fn dispatcher(stop: CancellationToken, tick: Duration) -> Result<(), std::io::Error> {
    let mut jobs = 0_u64;
    while !stop.is_cancelled() {
        tokio::time::sleep(tick).await; // one job
        jobs += 1;
        tracing::info!(jobs, "dispatcher: job done");
    }
    tracing::info!(jobs, "dispatcher: finished its current job");
    Ok(())
}
