//! Observability: traces over OTLP, trace ids in the log lines, Prometheus metrics on
//! `HEALTH_PORT`. Needs the `otel` and `metrics` features.
//!
//! ```sh
//! OTEL_EXPORTER_OTLP_ENDPOINT=http://localhost:4318 HEALTH_PORT=9090 LOG_FORMAT=json \
//!   cargo run --example observability --features otel,metrics
//! curl -H 'traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' localhost:8080/
//! curl -X POST localhost:8080/orders
//! curl localhost:9090/metrics
//! ```
//!
//! Routes on `PORT`: `/` answers `ok` and logs inside its span; `POST /orders` counts an order
//! (`orders_total`); `/spans?n=N` ends N spans; `/users/{id}` shows a route template in the
//! metrics. Every request runs in a `request` span that continues the caller's `traceparent`.

use axum::extract::{MatchedPath, Query, Request};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use tracing::Instrument;
use twelve_factor::prometheus::metrics;
use twelve_factor::prometheus::HttpMetricsLayer;
use twelve_factor::App;

#[derive(Deserialize)]
struct Count {
    n: usize,
}

/// Runs each request in a span that continues the incoming trace.
async fn traced(request: Request, next: Next) -> Response {
    let span =
        tracing::info_span!("request", method = %request.method(), path = %request.uri().path());
    twelve_factor::otel::continue_trace(&span, request.headers());
    next.run(request).instrument(span).await
}

fn router() -> Router {
    Router::new()
        .route(
            "/",
            get(|| async {
                tracing::info!("handled");
                "ok\n"
            }),
        )
        .route(
            "/orders",
            post(|| async {
                metrics::counter!("orders_total").increment(1);
                tracing::info!("order taken");
                "taken\n"
            }),
        )
        .route(
            "/spans",
            get(|Query(count): Query<Count>| async move {
                for index in 0..count.n {
                    tracing::info_span!("unit", index).in_scope(|| {});
                }
                format!("{} spans\n", count.n)
            }),
        )
        .route("/users/{id}", get(|| async { "a user\n" }))
        .layer(middleware::from_fn(traced))
        .layer(HttpMetricsLayer::new(|extensions| {
            extensions.get::<MatchedPath>().map(MatchedPath::as_str)
        }))
}

#[twelve_factor::main]
async fn main(app: App) -> std::io::Result<()> {
    metrics::describe_counter!("orders_total", "Orders taken.");
    let listener = app.listener().await?;
    axum::serve(listener, router())
        .with_graceful_shutdown(app.shutdown())
        .await
}
