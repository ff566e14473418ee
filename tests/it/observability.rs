//! Observability with the `otel` and `metrics` features, on `examples/observability.rs`: spans
//! reach a real OTLP/HTTP receiver (the official protocol messages, decoded with prost) with
//! the trace ids of the JSON log lines, an incoming `traceparent` is continued, the spans ended
//! before SIGTERM are flushed, a dead collector neither blocks requests nor delays the exit,
//! and bad `OTEL_*` values are exit 78. With `prometheus` and `promtool` installed: a real
//! Prometheus scrapes `/metrics` and finds the service's counter.

use crate::support::http::{free_port, http_get, wait_for_port};
use crate::support::process::{clean_command, Service};
use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::common::v1::any_value::Value;
use opentelemetry_proto::tonic::trace::v1::Span;
use prost::Message;
use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::Command;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

const TRACE_ID: &str = "4bf92f3577b34da6a3ce929d0e0e4736";
const PARENT_ID: &str = "00f067aa0ba902b7";

/// The example, built once with the features this test binary was built with.
fn binary() -> PathBuf {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT
        .get_or_init(|| {
            let _quiet = crate::support::quiet::quiet();
            let exe = std::env::current_exe().expect("test executable path");
            let profile = exe
                .parent()
                .and_then(|deps| deps.parent())
                .expect("target/<profile>");
            let mut cargo = Command::new(env!("CARGO"));
            cargo
                .args(["build", "--quiet", "--example", "observability"])
                .args(["--features", "otel,metrics"])
                .current_dir(env!("CARGO_MANIFEST_DIR"));
            if profile.file_name().is_some_and(|dir| dir == "release") {
                cargo.arg("--release");
            }
            if let Some(target) = profile.parent() {
                cargo.arg("--target-dir").arg(target);
            }
            assert!(cargo.status().expect("run cargo").success());
            profile.join("examples").join("observability")
        })
        .clone()
}

fn start(env: &[(&str, &str)]) -> Service {
    let mut command = clean_command(binary());
    for (name, _) in std::env::vars() {
        if name.starts_with("OTEL_") {
            command.env_remove(name);
        }
    }
    command.envs(env.iter().copied());
    Service::spawn(command)
}

/// A GET with a `traceparent`, on 127.0.0.1:`port`; returns the status.
fn get_traced(port: u16, path: &str, traceparent: &str) -> u16 {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: localhost\r\ntraceparent: {traceparent}\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0)
}

/// An OTLP/HTTP receiver: `POST /v1/traces` bodies decoded as `ExportTraceServiceRequest`.
struct Receiver {
    port: u16,
    requests: Arc<Mutex<Vec<ExportTraceServiceRequest>>>,
}

impl Receiver {
    fn start() -> Receiver {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let received = requests.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let received = received.clone();
                std::thread::spawn(move || serve(stream, &received));
            }
        });
        Receiver { port, requests }
    }

    fn endpoint(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Every span received so far, with its resource's `service.name`.
    fn spans(&self) -> Vec<(String, Span)> {
        let mut spans = Vec::new();
        for request in self.requests.lock().unwrap().iter() {
            for resource_spans in &request.resource_spans {
                let service = resource_spans
                    .resource
                    .iter()
                    .flat_map(|resource| &resource.attributes)
                    .find(|kv| kv.key == "service.name")
                    .and_then(|kv| kv.value.as_ref()?.value.clone())
                    .map(|value| match value {
                        Value::StringValue(name) => name,
                        other => format!("{other:?}"),
                    })
                    .unwrap_or_default();
                for scope in &resource_spans.scope_spans {
                    for span in &scope.spans {
                        spans.push((service.clone(), span.clone()));
                    }
                }
            }
        }
        spans
    }
}

/// Answers the requests of one keep-alive connection.
fn serve(stream: TcpStream, received: &Mutex<Vec<ExportTraceServiceRequest>>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut writer = stream;
    loop {
        let mut length = 0;
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
            return;
        }
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            if line == "\r\n" {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let status = match ExportTraceServiceRequest::decode(body.as_slice()) {
            Ok(request) if request_line.starts_with("POST /v1/traces ") => {
                received.lock().unwrap().push(request);
                "200 OK"
            }
            _ => "400 Bad Request",
        };
        let answer = format!(
            "HTTP/1.1 {status}\r\nContent-Type: application/x-protobuf\r\nContent-Length: 0\r\n\r\n"
        );
        if writer.write_all(answer.as_bytes()).is_err() {
            return;
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[test]
fn spans_reach_the_collector_with_the_trace_ids_of_the_log_lines() {
    let receiver = Receiver::start();
    let port = free_port();
    let endpoint = receiver.endpoint();
    let service = start(&[
        ("PORT", &port.to_string()),
        ("LOG_FORMAT", "json"),
        ("OTEL_EXPORTER_OTLP_ENDPOINT", &endpoint),
        ("OTEL_SERVICE_NAME", "shop-test"),
        ("OTEL_BSP_SCHEDULE_DELAY", "100"),
    ]);
    wait_for_port(port, Duration::from_secs(30));
    let traceparent = format!("00-{TRACE_ID}-{PARENT_ID}-01");
    assert_eq!(get_traced(port, "/", &traceparent), 200);
    for _ in 0..3 {
        assert_eq!(http_get(port, "/").unwrap().0, 200);
    }
    service.kill("TERM");
    let exit = service.wait(Duration::from_secs(15));
    assert_eq!(exit.code(), Some(0), "{exit:?}");

    // Four "handled" lines, each with the ids of its request's span.
    let mut logged = Vec::new();
    for line in exit.stdout.lines() {
        let event: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
        if event["message"] == "handled" {
            let trace_id = event["trace_id"].as_str().expect("trace_id").to_owned();
            let span_id = event["span_id"].as_str().expect("span_id").to_owned();
            assert_eq!((trace_id.len(), span_id.len()), (32, 16), "{line}");
            logged.push((trace_id, span_id));
        } else if event["target"] == "twelve_factor" {
            assert!(event.get("trace_id").is_none(), "outside a span: {line}");
        }
    }
    assert_eq!(logged.len(), 4, "{}", exit.stdout);
    assert_eq!(logged[0].0, TRACE_ID, "the incoming trace is continued");
    let distinct: HashSet<_> = logged.iter().map(|(trace, _)| trace).collect();
    assert_eq!(distinct.len(), 4, "a new trace per untraced request");

    let spans = receiver.spans();
    let requests: Vec<_> = spans
        .iter()
        .filter(|(_, span)| span.name == "request")
        .collect();
    assert_eq!(requests.len(), 4, "{spans:#?}");
    for (service, _) in &spans {
        assert_eq!(service, "shop-test");
    }
    for (trace_id, span_id) in &logged {
        assert!(
            requests
                .iter()
                .any(|(_, span)| hex(&span.trace_id) == *trace_id && hex(&span.span_id) == *span_id),
            "no exported span {trace_id}/{span_id} in {requests:#?}"
        );
    }
    let continued = requests
        .iter()
        .find(|(_, span)| hex(&span.trace_id) == TRACE_ID)
        .expect("the continued trace");
    assert_eq!(hex(&continued.1.parent_span_id), PARENT_ID);
}

#[test]
fn the_spans_ended_before_sigterm_all_arrive() {
    let receiver = Receiver::start();
    let port = free_port();
    let endpoint = receiver.endpoint();
    // The batch processor's default delay (5 s) is longer than the test: only the flush in the
    // stop can deliver the spans.
    let service = start(&[
        ("PORT", &port.to_string()),
        (
            "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
            &format!("{endpoint}/v1/traces"),
        ),
    ]);
    wait_for_port(port, Duration::from_secs(30));
    assert_eq!(
        http_get(port, "/spans?n=100").unwrap(),
        (200, "100 spans\n".to_owned())
    );
    service.kill("TERM");
    let exit = service.wait(Duration::from_secs(15));
    assert_eq!(exit.code(), Some(0), "{exit:?}");
    let spans = receiver.spans();
    let units: HashSet<i64> = spans
        .iter()
        .filter(|(_, span)| span.name == "unit")
        .filter_map(|(_, span)| {
            span.attributes
                .iter()
                .find(|kv| kv.key == "index")
                .and_then(|kv| match kv.value.as_ref()?.value.as_ref()? {
                    Value::IntValue(index) => Some(*index),
                    // tracing-opentelemetry sends a `usize` field as a string.
                    Value::StringValue(index) => index.parse().ok(),
                    _ => None,
                })
        })
        .collect();
    assert_eq!(
        units,
        (0..100).collect(),
        "{} spans received, the first: {:#?}; stdout:\n{}",
        spans.len(),
        spans.first(),
        exit.stdout
    );
}

#[test]
fn a_dead_collector_neither_blocks_requests_nor_delays_the_exit() {
    // Accepts connections and never answers: every export hangs until its own timeout.
    let hole = TcpListener::bind("127.0.0.1:0").unwrap();
    let hole_port = hole.local_addr().unwrap().port();
    let held = Arc::new(Mutex::new(Vec::new()));
    let holding = held.clone();
    std::thread::spawn(move || {
        for stream in hole.incoming().flatten() {
            holding.lock().unwrap().push(stream);
        }
    });
    let port = free_port();
    let service = start(&[
        ("PORT", &port.to_string()),
        ("SHUTDOWN_TIMEOUT", "2s"),
        (
            "OTEL_EXPORTER_OTLP_ENDPOINT",
            &format!("http://127.0.0.1:{hole_port}"),
        ),
        ("OTEL_BSP_SCHEDULE_DELAY", "50"),
    ]);
    wait_for_port(port, Duration::from_secs(30));
    let traceparent = format!("00-{TRACE_ID}-{PARENT_ID}-01");
    for _ in 0..20 {
        let started = Instant::now();
        assert_eq!(get_traced(port, "/", &traceparent), 200);
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "{:?}",
            started.elapsed()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(http_get(port, "/spans?n=50").unwrap().0, 200);
    service.kill("TERM");
    let exit = service.wait(Duration::from_secs(10));
    assert_eq!(exit.code(), Some(0), "{exit:?}");
    assert!(
        exit.waited < Duration::from_millis(3500),
        "exit took {:?} with a 2s deadline",
        exit.waited
    );
    assert!(
        !held.lock().unwrap().is_empty(),
        "the exporter never connected"
    );
    // Text lines end with the ids of their span.
    let handled: Vec<_> = exit
        .stdout
        .lines()
        .filter(|line| line.contains("handled"))
        .collect();
    assert_eq!(handled.len(), 20, "{}", exit.stdout);
    for line in handled {
        assert!(
            line.contains(&format!(" trace_id={TRACE_ID} span_id=")),
            "{line}"
        );
    }
}

#[test]
fn an_unreachable_collector_is_one_warning_not_one_per_export() {
    let closed = free_port();
    let port = free_port();
    let service = start(&[
        ("PORT", &port.to_string()),
        (
            "OTEL_EXPORTER_OTLP_ENDPOINT",
            &format!("http://127.0.0.1:{closed}"),
        ),
        ("OTEL_BSP_SCHEDULE_DELAY", "20"),
    ]);
    wait_for_port(port, Duration::from_secs(30));
    for _ in 0..10 {
        assert_eq!(http_get(port, "/").unwrap().0, 200);
        std::thread::sleep(Duration::from_millis(60));
    }
    service.wait_for_stdout("cannot export spans", Duration::from_secs(10));
    service.kill("TERM");
    let exit = service.wait(Duration::from_secs(15));
    assert_eq!(exit.code(), Some(0), "{exit:?}");
    let warnings = exit
        .stdout
        .lines()
        .filter(|line| line.contains("cannot export spans"))
        .count();
    assert_eq!(warnings, 1, "{}", exit.stdout);
}

#[test]
fn bad_otel_variables_are_exit_78_one_line_each() {
    let service = start(&[
        ("OTEL_EXPORTER_OTLP_PROTOCOL", "xml"),
        ("OTEL_TRACES_SAMPLER_ARG", "2"),
        ("OTEL_EXPORTER_OTLP_ENDPOINT", "::"),
    ]);
    let exit = service.wait(Duration::from_secs(15));
    assert_eq!(exit.code(), Some(78), "{exit:?}");
    let lines: Vec<_> = exit.stderr.lines().collect();
    assert_eq!(lines.len(), 3, "{}", exit.stderr);
    for variable in [
        "OTEL_EXPORTER_OTLP_PROTOCOL=\"xml\"",
        "OTEL_TRACES_SAMPLER_ARG=\"2\"",
        "OTEL_EXPORTER_OTLP_ENDPOINT=\"::\"",
    ] {
        assert!(
            lines
                .iter()
                .any(|line| line.contains(&format!("invalid {variable}: "))),
            "{variable} in {lines:#?}"
        );
    }
    assert!(exit.stdout.is_empty(), "{}", exit.stdout);
}

#[test]
#[ignore = "needs prometheus"]
fn prometheus_scrapes_the_service_and_promtool_accepts_the_page() {
    crate::support::tool::require("prometheus");
    crate::support::tool::require("promtool");
    let port = free_port();
    let health = free_port();
    let service = start(&[
        ("PORT", &port.to_string()),
        ("HEALTH_PORT", &health.to_string()),
        ("HOST", "127.0.0.1"),
    ]);
    wait_for_port(port, Duration::from_secs(30));
    for _ in 0..3 {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream
            .write_all(b"POST /orders HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            .unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).unwrap();
        assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    }
    let (status, page) = http_get(health, "/metrics").unwrap();
    assert_eq!(status, 200);
    assert!(page.contains("\norders_total 3\n"), "{page}");

    // promtool's linter: names, types, help texts.
    let mut promtool = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    promtool
        .stdin
        .take()
        .unwrap()
        .write_all(page.as_bytes())
        .unwrap();
    let checked = promtool.wait_with_output().unwrap();
    assert!(
        checked.status.success() && checked.stdout.is_empty() && checked.stderr.is_empty(),
        "promtool: {checked:?}\n{page}"
    );

    let dir = crate::support::temp::TempDir::new("prometheus");
    let config = dir.0.join("prometheus.yml");
    std::fs::write(
        &config,
        format!(
            "global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: service\n    \
             static_configs:\n      - targets: ['127.0.0.1:{health}']\n"
        ),
    )
    .unwrap();
    let web = free_port();
    let mut prometheus = Command::new("prometheus")
        .arg(format!("--config.file={}", config.display()))
        .arg(format!(
            "--storage.tsdb.path={}",
            dir.0.join("data").display()
        ))
        .arg(format!("--web.listen-address=127.0.0.1:{web}"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let query = |expr: &str| -> Option<String> {
        let (status, body) = http_get(web, &format!("/api/v1/query?query={expr}")).ok()?;
        (status == 200).then_some(body)
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut up = None;
    while Instant::now() < deadline {
        up = query("up");
        if up
            .as_deref()
            .is_some_and(|body| body.contains(r#""value":[""#) && body.contains(r#"","1"]"#))
        {
            break;
        }
        std::thread::sleep(Duration::from_millis(250));
    }
    let orders = query("orders_total");
    let _ = prometheus.kill();
    let _ = prometheus.wait();
    let up = up.expect("prometheus answered");
    assert!(up.contains(r#","1"]"#), "up: {up}");
    let orders = orders.expect("orders_total");
    assert!(orders.contains(r#","3"]"#), "orders_total: {orders}");
    service.kill("TERM");
    assert_eq!(service.wait(Duration::from_secs(15)).code(), Some(0));
}
