//! An HTTP service with axum that drains in-flight requests on SIGTERM.
//!
//! ```sh
//! cargo run --example http                      # serves on PORT, default 8080
//! curl localhost:8080/                          # hello
//! curl 'localhost:8080/slow?ms=3000' & kill -TERM <pid>   # the slow request still completes
//! ```
//!
//! Routes: `/` greets, `/healthz` answers `ok`, `/slow?ms=N` answers after N milliseconds (to
//! watch the drain), `/panic` panics inside the handler (logged; the service keeps serving).

use axum::extract::Query;
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use std::time::Duration;

#[derive(Deserialize)]
struct Slow {
    ms: u64,
}

fn router() -> Router {
    Router::new()
        .route("/", get(|| async { "hello from twelve_factor\n" }))
        .route("/healthz", get(|| async { "ok\n" }))
        .route(
            "/slow",
            get(|Query(slow): Query<Slow>| async move {
                tracing::debug!(ms = slow.ms, "slow request started");
                tokio::time::sleep(Duration::from_millis(slow.ms)).await;
                format!("slept {} ms\n", slow.ms)
            }),
        )
        .route(
            "/panic",
            get(|| async {
                panic!("the /panic route panics on purpose");
                #[allow(unreachable_code)]
                ""
            }),
        )
}

#[twelve_factor::main]
async fn main(app: twelve_factor::App) -> Result<(), Box<dyn std::error::Error>> {
    let listener = app.listener().await?;
    axum::serve(listener, router())
        .with_graceful_shutdown(app.shutdown())
        .await?;
    tracing::info!("all requests drained");
    Ok(())
}
