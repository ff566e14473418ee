//! The observability twin written by hand, the way a careful service wires tracing-opentelemetry
//! today: a tracer provider with a batch span processor exporting over OTLP http/protobuf (a
//! blocking reqwest client, as twelvefactor's `otel` feature), the tracing-opentelemetry layer,
//! and a JSON fmt layer to stdout whose lines carry the trace and span ids of their span. The
//! route does what `tf_otel`'s does: a `request` span continuing the caller's `traceparent`, one
//! log line inside it.
//!
//! What differs from `tf_otel`, on purpose: the filter is a fixed `LevelFilter::INFO` (the
//! runtime's default `RUST_LOG=info` is one too); stdout is written from the request's thread
//! through std's `Stdout`, where the runtime queues lines for a writer thread; no `PORT`
//! validation, exit codes or drain deadline (none of them is on the request path).

use axum::extract::Request;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use opentelemetry::propagation::TextMapPropagator;
use opentelemetry::trace::{TraceContextExt, TracerProvider as _};
use opentelemetry_http::HeaderExtractor;
use opentelemetry_otlp::WithExportConfig;
use opentelemetry_sdk::propagation::TraceContextPropagator;
use opentelemetry_sdk::trace::{BatchSpanProcessor, SdkTracerProvider};
use opentelemetry_sdk::Resource;
use std::cell::RefCell;
use tracing::{Instrument, Subscriber};
use tracing_opentelemetry::OpenTelemetrySpanExt;
use tracing_subscriber::filter::LevelFilter;
use tracing_subscriber::fmt::format::{Format, Json, JsonFields, Writer};
use tracing_subscriber::fmt::{FmtContext, FormatEvent};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::util::SubscriberInitExt;

/// The JSON format of tracing-subscriber with `"trace_id"` and `"span_id"` first in the object
/// when the event is inside a span, as twelvefactor writes them.
struct WithTraceIds(Format<Json>);

thread_local! {
    /// The inner format's output, reused from event to event.
    static INNER: RefCell<String> = const { RefCell::new(String::new()) };
}

impl<S> FormatEvent<S, JsonFields> for WithTraceIds
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn format_event(
        &self,
        ctx: &FmtContext<'_, S, JsonFields>,
        mut writer: Writer<'_>,
        event: &tracing::Event<'_>,
    ) -> std::fmt::Result {
        let ids = ctx.parent_span().and_then(|span| {
            let cx = tracing::dispatcher::get_default(|dispatch| {
                tracing_opentelemetry::get_otel_context(&span.id(), dispatch)
            })?;
            let otel_span = cx.span();
            let context = otel_span.span_context();
            context
                .is_valid()
                .then(|| (context.trace_id(), context.span_id()))
        });
        let Some((trace_id, span_id)) = ids else {
            return self.0.format_event(ctx, writer, event);
        };
        INNER.with(|inner| {
            let mut inner = inner.borrow_mut();
            inner.clear();
            self.0.format_event(ctx, Writer::new(&mut *inner), event)?;
            write!(
                writer,
                "{{\"trace_id\":\"{trace_id}\",\"span_id\":\"{span_id}\",{}",
                inner.strip_prefix('{').unwrap_or(&inner)
            )
        })
    }
}

/// Runs each request in a span that continues the incoming trace.
async fn traced(request: Request, next: Next) -> Response {
    let span =
        tracing::info_span!("request", method = %request.method(), path = %request.uri().path());
    let parent = TraceContextPropagator::new().extract(&HeaderExtractor(request.headers()));
    if parent.span().span_context().is_valid() {
        let _ = span.set_parent(parent);
    }
    next.run(request).instrument(span).await
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The endpoint and the rest come from the OTEL_* variables, read by the exporter.
    let exporter = opentelemetry_otlp::SpanExporter::builder()
        .with_http()
        .with_protocol(opentelemetry_otlp::Protocol::HttpBinary)
        .build()?;
    let provider = SdkTracerProvider::builder()
        .with_span_processor(BatchSpanProcessor::builder(exporter).build())
        .with_resource(Resource::builder().with_service_name("hand_otel").build())
        .build();
    let tracer = provider.tracer("hand_otel");
    opentelemetry::global::set_tracer_provider(provider.clone());
    let json = tracing_subscriber::fmt::format()
        .json()
        .flatten_event(true)
        .with_current_span(true)
        .with_span_list(false);
    tracing_subscriber::registry()
        .with(tracing_opentelemetry::layer().with_tracer(tracer))
        .with(
            tracing_subscriber::fmt::layer()
                .json()
                .event_format(WithTraceIds(json))
                .with_writer(std::io::stdout),
        )
        .with(LevelFilter::INFO)
        .init();

    let port: u16 = std::env::var("PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(8080);
    let listener = tokio::net::TcpListener::bind(("0.0.0.0", port)).await?;
    tracing::info!(port, "twin ready");
    let router = Router::new()
        .route(
            "/",
            get(|| async {
                tracing::info!("handled");
                "ok\n"
            }),
        )
        .layer(middleware::from_fn(traced));
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    axum::serve(listener, router)
        .with_graceful_shutdown(async move {
            term.recv().await;
        })
        .await?;
    provider.shutdown()?;
    Ok(())
}
