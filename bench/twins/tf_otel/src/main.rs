//! The observability twin written with `#[twelve_factor::main]` and the `otel` feature: with
//! `LOG_FORMAT=json` and `OTEL_EXPORTER_OTLP_ENDPOINT` set, every request runs in a span that
//! continues the caller's `traceparent`, logs one JSON line inside it (the line carries the
//! trace and span ids), and the span is exported over OTLP http/protobuf by a batch processor.
//! `hand_otel` does the same work by hand; `runner otel` measures them side by side.

use axum::extract::Request;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use tracing::Instrument;

/// Runs each request in a span that continues the incoming trace.
async fn traced(request: Request, next: Next) -> Response {
    let span =
        tracing::info_span!("request", method = %request.method(), path = %request.uri().path());
    twelve_factor::otel::continue_trace(&span, request.headers());
    next.run(request).instrument(span).await
}

#[twelve_factor::main]
async fn main(app: twelve_factor::App) -> std::io::Result<()> {
    let listener = app.listener().await?;
    let router = Router::new()
        .route(
            "/",
            get(|| async {
                tracing::info!("handled");
                "ok\n"
            }),
        )
        .layer(middleware::from_fn(traced));
    axum::serve(listener, router)
        .with_graceful_shutdown(app.shutdown())
        .await
}
