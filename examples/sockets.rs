//! Two sockets from systemd socket activation, told apart by name (`FileDescriptorName=` in the
//! socket unit, `LISTEN_FDNAMES` in the environment) rather than by order: `http` answers
//! `http`, `metrics` answers `metrics`. `metrics` is declared (`listeners(metrics = 9090)`); the
//! main listener takes the passed socket not named after a declared one.
//!
//! ```sh
//! cargo build --example sockets
//! systemd-socket-activate -l 127.0.0.1:8080 -l 127.0.0.1:9090 --fdname=http:metrics \
//!     target/debug/examples/sockets
//! curl localhost:8080/     # http         (the first connection starts the process)
//! curl localhost:9090/     # metrics
//! ```
//!
//! Without socket activation `http` binds `HOST:PORT` and `metrics` binds `HOST:METRICS_PORT`
//! (9090). With socket activation, a declared name systemd did not pass is an error (never a
//! bind of its own next to the passed sockets).

use axum::routing::get;
use axum::Router;
use std::future::IntoFuture;

#[twelve_factor::main(listeners(metrics = 9090))]
async fn main(app: twelve_factor::App) -> Result<(), Box<dyn std::error::Error>> {
    let http = app.listener().await?;
    let http = axum::serve(http, Router::new().route("/", get(|| async { "http\n" })))
        .with_graceful_shutdown(app.shutdown());
    match app.listener_named("metrics").await {
        Ok(metrics) => {
            let metrics = axum::serve(
                metrics,
                Router::new().route("/", get(|| async { "metrics\n" })),
            )
            .with_graceful_shutdown(app.shutdown());
            let (http, metrics) = tokio::join!(http.into_future(), metrics.into_future());
            http?;
            metrics?;
        }
        Err(error) => {
            tracing::warn!(%error, "no metrics socket; serving http only");
            http.await?;
        }
    }
    tracing::info!("all requests drained");
    Ok(())
}
