//! OpenTelemetry (the `otel` feature): spans exported over OTLP, and the trace and span ids on
//! every log line written inside a span.
//!
//! - [`read_env`] validates the `OTEL_*` variables with the runtime's own (a bad one is a line
//!   of the exit-78 report) and keeps the settings for [`layers`];
//! - [`layers`] builds the tracer provider (an OTLP exporter behind a batch processor when
//!   `OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is set; ids only
//!   otherwise), the tracing-opentelemetry layer and [`TraceIds`], which hands each event's ids
//!   to [`decorate`], the line writer's hook;
//! - [`flush`] is the stop's telemetry phase: the batch is exported within the deadline;
//! - [`continue_trace`] and [`continue_trace_with`] pick up an incoming W3C `traceparent`.
//!
//! The exporter runs on the batch processor's own thread: a slow or dead collector never blocks
//! a request. Its failures are one WARN line at most every [`WARN_EVERY`].

use crate::config::error::ConfigError;
use opentelemetry::propagation::{Extractor, TextMapPropagator};
use opentelemetry::trace::{TraceContextExt, TracerProvider as _};
use opentelemetry_sdk::error::OTelSdkResult;
use opentelemetry_sdk::propagation::TraceContextPropagator;
use opentelemetry_sdk::trace::{
    BatchSpanProcessor, Sampler, SdkTracerProvider, SpanData, SpanExporter,
};
use opentelemetry_sdk::Resource;
use std::cell::Cell;
use std::ffi::OsString;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};
use tracing::dispatcher::WeakDispatch;
use tracing::Subscriber;
use tracing_opentelemetry::OpenTelemetrySpanExt;
use tracing_subscriber::filter::filter_fn;
use tracing_subscriber::layer::{Context, Layer};
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::Registry;

/// At most one WARN line about failed exports in this long.
pub(crate) const WARN_EVERY: Duration = Duration::from_secs(30);

/// The OTLP transport.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Protocol {
    HttpProtobuf,
    Grpc,
}

/// What the `OTEL_*` variables ask for.
#[derive(Clone, Debug)]
pub(crate) struct Settings {
    /// The collector, when one is set; spans are then exported.
    pub endpoint: Option<String>,
    pub protocol: Protocol,
    pub sampler: Sampler,
    /// `OTEL_SERVICE_NAME`, or `service.name` from `OTEL_RESOURCE_ATTRIBUTES`.
    pub service_name: Option<String>,
}

/// `None` after `read_env` when `OTEL_SDK_DISABLED=true`: no OpenTelemetry at all.
static SETTINGS: OnceLock<Option<Settings>> = OnceLock::new();
static PROVIDER: OnceLock<SdkTracerProvider> = OnceLock::new();
/// Whether lines are JSON, for [`decorate`].
static JSON: AtomicBool = AtomicBool::new(false);

thread_local! {
    /// The ids of the event being written on this thread: set by [`TraceIds`], taken by the
    /// line writer through [`decorate`].
    static IDS: Cell<Option<(u128, u64)>> = const { Cell::new(None) };
}

/// Reads and validates the `OTEL_*` variables; every bad one is an error.
pub(crate) fn read_env() -> Vec<ConfigError> {
    match parse(&|name| std::env::var_os(name)) {
        Ok(settings) => {
            let _ = SETTINGS.set(settings);
            Vec::new()
        }
        Err(errors) => errors,
    }
}

/// Parses the variables `lookup` returns; `Ok(None)` when the SDK is disabled.
pub(crate) fn parse(
    lookup: &dyn Fn(&'static str) -> Option<OsString>,
) -> Result<Option<Settings>, Vec<ConfigError>> {
    let get = |name: &'static str| {
        lookup(name).map(|value| value.to_string_lossy().trim().to_owned())
    };
    if get("OTEL_SDK_DISABLED").is_some_and(|v| v.eq_ignore_ascii_case("true")) {
        return Ok(None);
    }
    let mut errors = Vec::new();
    let mut endpoint = None;
    for name in [
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
        "OTEL_EXPORTER_OTLP_ENDPOINT",
    ] {
        match get(name) {
            Some(value) if value.is_empty() => {}
            Some(value) => {
                if let Err(why) = check_endpoint(&value) {
                    errors.push(ConfigError::new(name, value.clone(), why));
                }
                endpoint = endpoint.or(Some(value));
            }
            None => {}
        }
    }
    let mut protocol = Protocol::HttpProtobuf;
    for name in [
        "OTEL_EXPORTER_OTLP_PROTOCOL",
        "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL",
    ] {
        match get(name).as_deref() {
            None | Some("") => {}
            Some("http/protobuf") => protocol = Protocol::HttpProtobuf,
            Some("grpc") => protocol = Protocol::Grpc,
            Some(other) => errors.push(ConfigError::new(
                name,
                other,
                if other == "http/json" {
                    "http/json is not supported; use http/protobuf or grpc"
                } else {
                    "expected http/protobuf or grpc"
                },
            )),
        }
    }
    let ratio = match get("OTEL_TRACES_SAMPLER_ARG") {
        None => 1.0,
        Some(value) if value.is_empty() => 1.0,
        Some(value) => match value.parse::<f64>() {
            Ok(ratio) if (0.0..=1.0).contains(&ratio) => ratio,
            _ => {
                errors.push(ConfigError::new(
                    "OTEL_TRACES_SAMPLER_ARG",
                    value,
                    "expected a sampling ratio from 0 to 1",
                ));
                1.0
            }
        },
    };
    let parent_based = |root: Sampler| Sampler::ParentBased(Box::new(root));
    let sampler = match get("OTEL_TRACES_SAMPLER").as_deref() {
        None | Some("") | Some("parentbased_always_on") => parent_based(Sampler::AlwaysOn),
        Some("always_on") => Sampler::AlwaysOn,
        Some("always_off") => Sampler::AlwaysOff,
        Some("traceidratio") => Sampler::TraceIdRatioBased(ratio),
        Some("parentbased_always_off") => parent_based(Sampler::AlwaysOff),
        Some("parentbased_traceidratio") => parent_based(Sampler::TraceIdRatioBased(ratio)),
        Some(other) => {
            errors.push(ConfigError::new(
                "OTEL_TRACES_SAMPLER",
                other,
                "expected always_on, always_off, traceidratio, parentbased_always_on, \
                 parentbased_always_off or parentbased_traceidratio",
            ));
            parent_based(Sampler::AlwaysOn)
        }
    };
    let mut service_name = get("OTEL_SERVICE_NAME").filter(|name| !name.is_empty());
    if let Some(attributes) = get("OTEL_RESOURCE_ATTRIBUTES") {
        for pair in attributes.split(',').filter(|pair| !pair.trim().is_empty()) {
            match pair.split_once('=') {
                Some((key, value)) if !key.trim().is_empty() => {
                    if key.trim() == "service.name" && service_name.is_none() {
                        service_name = Some(value.trim().to_owned());
                    }
                }
                _ => {
                    errors.push(ConfigError::new(
                        "OTEL_RESOURCE_ATTRIBUTES",
                        attributes.clone(),
                        "expected key=value pairs separated by commas",
                    ));
                    break;
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Some(Settings {
        endpoint,
        protocol,
        sampler,
        service_name,
    }))
}

/// An endpoint must be an `http://` URL with a host (no TLS is compiled in).
fn check_endpoint(value: &str) -> Result<(), &'static str> {
    let not_url = "expected a URL such as http://localhost:4318";
    let Some((scheme, rest)) = value.split_once("://") else {
        return Err(not_url);
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = match authority.rsplit_once(':') {
        Some((host, port)) if !host.ends_with(']') || authority.starts_with('[') => {
            if !port.is_empty() && port.parse::<u16>().is_err() && !authority.ends_with(']') {
                return Err(not_url);
            }
            host
        }
        _ => authority,
    };
    if host.is_empty() || host.contains(char::is_whitespace) {
        return Err(not_url);
    }
    match scheme {
        "http" => Ok(()),
        "https" => Err("https is not supported (no TLS is compiled in); export over http:// to a \
                        local collector or agent"),
        _ => Err(not_url),
    }
}

/// The layers `otel` adds beside the line format: the tracing-opentelemetry layer and
/// [`TraceIds`]. Empty when `OTEL_SDK_DISABLED=true`. `service` names the service when neither
/// `OTEL_SERVICE_NAME` nor `OTEL_RESOURCE_ATTRIBUTES` does; `runtime` is entered while a gRPC
/// exporter is built (tonic needs a reactor).
pub(crate) fn layers(
    service: &str,
    json: bool,
    runtime: Option<&tokio::runtime::Handle>,
) -> Vec<Box<dyn Layer<Registry> + Send + Sync>> {
    let Some(Some(settings)) = SETTINGS.get() else {
        return Vec::new();
    };
    JSON.store(json, Ordering::Relaxed);
    let name = settings
        .service_name
        .clone()
        .unwrap_or_else(|| service.to_owned());
    let resource = Resource::builder().with_service_name(name).build();
    let mut builder = SdkTracerProvider::builder()
        .with_sampler(settings.sampler.clone())
        .with_resource(resource);
    if settings.endpoint.is_some() {
        let _entered = runtime.map(tokio::runtime::Handle::enter);
        match exporter(settings.protocol) {
            Ok(exporter) => {
                let processor = BatchSpanProcessor::builder(WarnOnFailure::new(exporter)).build();
                builder = builder.with_span_processor(processor);
            }
            Err(error) => {
                tracing::warn!(target: "twelve_factor", %error, "cannot build the OTLP exporter; spans are not exported");
            }
        }
    }
    let provider = builder.build();
    let tracer = provider.tracer("twelve_factor");
    opentelemetry::global::set_tracer_provider(provider.clone());
    opentelemetry::global::set_text_map_propagator(TraceContextPropagator::new());
    let _ = PROVIDER.set(provider);
    // The exporter's own crates must not feed spans back into it.
    let otel = tracing_opentelemetry::layer()
        .with_tracer(tracer)
        .with_filter(filter_fn(|metadata| !is_exporter_internal(metadata.target())))
        .boxed();
    vec![otel, TraceIds.boxed()]
}

fn is_exporter_internal(target: &str) -> bool {
    ["opentelemetry", "hyper", "h2", "tonic", "tower", "reqwest"]
        .iter()
        .any(|prefix| {
            target.strip_prefix(prefix).is_some_and(|rest| rest.is_empty() || rest.starts_with("::"))
        })
}

type Exporter = opentelemetry_otlp::SpanExporter;

fn exporter(protocol: Protocol) -> Result<Exporter, opentelemetry_otlp::ExporterBuildError> {
    use opentelemetry_otlp::WithExportConfig;
    match protocol {
        Protocol::HttpProtobuf => opentelemetry_otlp::SpanExporter::builder()
            .with_http()
            .with_protocol(opentelemetry_otlp::Protocol::HttpBinary)
            .build(),
        Protocol::Grpc => opentelemetry_otlp::SpanExporter::builder()
            .with_tonic()
            .with_protocol(opentelemetry_otlp::Protocol::Grpc)
            .build(),
    }
}

/// Hands the dispatcher to [`TraceIds`] once the subscriber is installed (a `Vec` of layers does
/// not forward `on_register_dispatch`).
pub(crate) fn installed() {
    tracing::dispatcher::get_default(|dispatch| {
        let _ = DISPATCH.set(dispatch.downgrade());
    });
}

static DISPATCH: OnceLock<WeakDispatch> = OnceLock::new();

/// Finds the trace and span ids of each event's span for the line writer.
#[derive(Default)]
pub(crate) struct TraceIds;

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for TraceIds {
    fn on_event(&self, event: &tracing::Event<'_>, ctx: Context<'_, S>) {
        let ids = ctx.event_span(event).and_then(|span| {
            let dispatch = DISPATCH.get()?.upgrade()?;
            let cx = tracing_opentelemetry::get_otel_context(&span.id(), &dispatch)?;
            let span = cx.span();
            let context = span.span_context();
            context.is_valid().then(|| {
                (
                    u128::from_be_bytes(context.trace_id().to_bytes()),
                    u64::from_be_bytes(context.span_id().to_bytes()),
                )
            })
        });
        IDS.with(|cell| cell.set(ids));
    }
}

/// Adds the ids of the event being written (if it is inside a span) to its `line`: the first
/// fields of a JSON object, or ` trace_id=… span_id=…` at the end of a text line. Formats them
/// on the stack: no allocation per line.
pub(crate) fn decorate(line: &mut Vec<u8>) {
    use std::io::Write as _;
    let Some((trace, span)) = IDS.with(Cell::take) else {
        return;
    };
    let mut fields = [0_u8; DECORATION];
    let mut rest = &mut fields[..];
    let (at, written) = if JSON.load(Ordering::Relaxed) && line.first() == Some(&b'{') {
        let written = write!(rest, "\"trace_id\":\"{trace:032x}\",\"span_id\":\"{span:016x}\",");
        (1, written)
    } else {
        let written = write!(rest, " trace_id={trace:032x} span_id={span:016x}");
        (line.len() - usize::from(line.last() == Some(&b'\n')), written)
    };
    if written.is_err() {
        return;
    }
    let length = DECORATION - rest.len();
    line.splice(at..at, fields[..length].iter().copied());
}

/// The most [`decorate`] adds to a line: `"trace_id":"<32 hex>","span_id":"<16 hex>",`.
pub(crate) const DECORATION: usize = 75;

/// The stop's telemetry phase: exports what the batch processor holds, giving up at
/// `deadline`. Runs the blocking flush on its own thread so that the runtime stays free.
pub(crate) async fn flush(deadline: tokio::time::Instant) {
    let Some(provider) = PROVIDER.get() else {
        return;
    };
    let provider = provider.clone();
    let (done, flushed) = tokio::sync::oneshot::channel();
    let spawned = std::thread::Builder::new()
        .name("twelve-factor-otel-flush".to_owned())
        .spawn(move || {
            crate::platform::sigmask::hold();
            let _ = done.send(provider.force_flush());
        });
    if spawned.is_err() {
        return;
    }
    match tokio::time::timeout_at(deadline, flushed).await {
        Ok(Ok(Ok(()))) => {}
        Ok(Ok(Err(error))) => {
            tracing::warn!(target: "twelve_factor", %error, "could not export the last spans")
        }
        Ok(Err(_)) => {}
        Err(_) => tracing::warn!(target: "twelve_factor",
            "the shutdown deadline passed before the last spans were exported"),
    }
}

/// The OTLP exporter, logging its failures: one WARN line at most every [`WARN_EVERY`], with
/// the count of failures since the last one.
#[derive(Debug)]
struct WarnOnFailure {
    inner: Exporter,
    failures: AtomicU64,
    last_warning: Mutex<Option<Instant>>,
}

impl WarnOnFailure {
    fn new(inner: Exporter) -> WarnOnFailure {
        WarnOnFailure {
            inner,
            failures: AtomicU64::new(0),
            last_warning: Mutex::new(None),
        }
    }

    fn failed(&self, error: &dyn std::fmt::Display, spans: usize) {
        let failures = self.failures.fetch_add(1, Ordering::Relaxed) + 1;
        let mut last = self.last_warning.lock().unwrap_or_else(PoisonError::into_inner);
        if last.is_some_and(|at| at.elapsed() < WARN_EVERY) {
            return;
        }
        *last = Some(Instant::now());
        self.failures.store(0, Ordering::Relaxed);
        drop(last);
        tracing::warn!(target: "twelve_factor",
            %error, spans, failures,
            "cannot export spans to the OTLP collector ({failures} failed export(s) since the last warning)"
        );
    }
}

impl SpanExporter for WarnOnFailure {
    async fn export(&self, batch: Vec<SpanData>) -> OTelSdkResult {
        let spans = batch.len();
        let result = self.inner.export(batch).await;
        if let Err(error) = &result {
            self.failed(error, spans);
        }
        result
    }

    fn shutdown_with_timeout(&self, timeout: Duration) -> OTelSdkResult {
        self.inner.shutdown_with_timeout(timeout)
    }

    fn force_flush(&self) -> OTelSdkResult {
        self.inner.force_flush()
    }

    fn set_resource(&mut self, resource: &Resource) {
        self.inner.set_resource(resource);
    }
}

/// Makes `span` continue the trace of an incoming request: its parent becomes the W3C
/// `traceparent` (and `tracestate`) of `headers`. Call it before entering the span. Without a
/// valid `traceparent`, `span` stays the root of a new trace.
///
/// ```
/// # use twelvefactor_runtime as twelve_factor;
/// # fn handle(headers: &http::HeaderMap) {
/// let span = tracing::info_span!("request");
/// twelve_factor::otel::continue_trace(&span, headers);
/// let _entered = span.enter();
/// # }
/// ```
pub fn continue_trace(span: &tracing::Span, headers: &http::HeaderMap) {
    continue_trace_with(span, |name| {
        headers.get(name).and_then(|value| value.to_str().ok())
    });
}

/// [`continue_trace`] for any header type: `header` returns a header's value by its
/// (lower-case) name. For actix-web, whose `http` types differ:
/// `continue_trace_with(&span, |name| req.headers().get(name)?.to_str().ok())`.
pub fn continue_trace_with<'a>(span: &tracing::Span, header: impl Fn(&str) -> Option<&'a str>) {
    /// The two headers the propagator reads, borrowed: nothing is copied per request.
    struct Headers<'a>([(&'static str, Option<&'a str>); 2]);
    impl Extractor for Headers<'_> {
        fn get(&self, key: &str) -> Option<&str> {
            self.0
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case(key))
                .and_then(|(_, value)| *value)
        }
        fn keys(&self) -> Vec<&str> {
            self.0
                .iter()
                .filter(|(_, value)| value.is_some())
                .map(|(name, _)| *name)
                .collect()
        }
    }
    let headers = Headers(["traceparent", "tracestate"].map(|name| (name, header(name))));
    let parent = TraceContextPropagator::new().extract(&headers);
    if parent.span().span_context().is_valid() {
        let _ = span.set_parent(parent);
    }
}

/// The W3C `traceparent` of `span` (`00-<trace id>-<span id>-<flags>`), to send with an
/// outgoing request; `None` outside OpenTelemetry (the span is disabled, or `OTEL_SDK_DISABLED`).
pub fn traceparent(span: &tracing::Span) -> Option<String> {
    let cx = span.context();
    let otel_span = cx.span();
    let context = otel_span.span_context();
    context.is_valid().then(|| {
        format!(
            "00-{}-{}-{:02x}",
            context.trace_id(),
            context.span_id(),
            context.trace_flags().to_u8()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(vars: &[(&'static str, &str)]) -> Vec<String> {
        let lookup = |name: &'static str| {
            vars.iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| OsString::from(value))
        };
        match parse(&lookup) {
            Ok(_) => Vec::new(),
            Err(errors) => errors.iter().map(ToString::to_string).collect(),
        }
    }

    #[test]
    fn bad_values_are_one_error_each() {
        assert!(errors(&[]).is_empty());
        assert!(errors(&[("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318")]).is_empty());
        assert!(errors(&[("OTEL_EXPORTER_OTLP_ENDPOINT", "http://[::1]:4317")]).is_empty());
        assert!(errors(&[("OTEL_TRACES_SAMPLER", "traceidratio"), ("OTEL_TRACES_SAMPLER_ARG", "0.25")]).is_empty());
        let bad = errors(&[
            ("OTEL_EXPORTER_OTLP_PROTOCOL", "xml"),
            ("OTEL_TRACES_SAMPLER_ARG", "2"),
            ("OTEL_EXPORTER_OTLP_ENDPOINT", "::"),
            ("OTEL_TRACES_SAMPLER", "sometimes"),
        ]);
        assert_eq!(bad.len(), 4, "{bad:#?}");
        assert!(bad.iter().any(|line| line.starts_with("invalid OTEL_EXPORTER_OTLP_PROTOCOL=\"xml\"")));
        assert!(bad.iter().any(|line| line.starts_with("invalid OTEL_TRACES_SAMPLER_ARG=\"2\"")));
        assert!(bad.iter().any(|line| line.starts_with("invalid OTEL_EXPORTER_OTLP_ENDPOINT=\"::\"")));
        // Disabled: nothing is read.
        assert!(errors(&[("OTEL_SDK_DISABLED", "TRUE"), ("OTEL_EXPORTER_OTLP_PROTOCOL", "xml")]).is_empty());
    }

    #[test]
    fn endpoints() {
        for good in ["http://localhost:4318", "http://10.0.0.1", "http://otel:4318/v1/traces", "http://[::1]:4317"] {
            assert_eq!(check_endpoint(good), Ok(()), "{good}");
        }
        for bad in ["::", "localhost:4318", "http://", "ftp://x", "http://host:port", "https://x:4318"] {
            assert!(check_endpoint(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn lines_get_the_ids_of_their_span() {
        IDS.with(|cell| cell.set(Some((0xabc, 0x12))));
        let mut text = b"INFO handled\n".to_vec();
        decorate(&mut text);
        assert_eq!(
            String::from_utf8(text).unwrap(),
            "INFO handled trace_id=00000000000000000000000000000abc span_id=0000000000000012\n"
        );
        // A JSON line gets them as its first fields.
        JSON.store(true, Ordering::Relaxed);
        IDS.with(|cell| cell.set(Some((u128::MAX, 0x1))));
        let mut json = b"{\"message\":\"handled\"}\n".to_vec();
        decorate(&mut json);
        assert_eq!(
            String::from_utf8(json).unwrap(),
            format!(
                "{{\"trace_id\":\"{}\",\"span_id\":\"0000000000000001\",\"message\":\"handled\"}}\n",
                "f".repeat(32)
            )
        );
        assert_eq!(DECORATION, "\"trace_id\":\"\",\"span_id\":\"\",".len() + 32 + 16);
        // Taken: the next line outside a span has none.
        let mut plain = b"INFO plain\n".to_vec();
        decorate(&mut plain);
        assert_eq!(plain, b"INFO plain\n");
    }

    #[test]
    fn the_exporters_own_crates_are_not_traced() {
        assert!(is_exporter_internal("hyper::client"));
        assert!(is_exporter_internal("h2"));
        assert!(!is_exporter_internal("hyperion"));
        assert!(!is_exporter_internal("my_service"));
    }
}
