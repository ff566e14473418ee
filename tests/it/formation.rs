//! One process, several parts: the `formation` example (HTTP on `PORT`, a second listener on
//! `GRPC_PORT`, the workers `outbox` and `dispatcher`) and the worker faults of the `faults`
//! example, run as real processes with real signals: both listeners serve, readiness waits for
//! the last bind, `SHUTDOWN_DELAY` keeps every part running, the stop drains the servers then
//! stops the workers in reverse order, a failed or stuck worker exits 1 naming it, and a bad or
//! colliding `{NAME}_PORT` exits 78 with one line.

use crate::support::http::{free_port, http_get, wait_for_port};
use crate::support::process::{Exit, Service};
use std::net::TcpListener;
use std::time::{Duration, Instant};

const START: Duration = Duration::from_secs(20);
const EXIT: Duration = Duration::from_secs(20);

/// The formation example on free ports of 127.0.0.1: `(service, PORT, GRPC_PORT,
/// HEALTH_PORT)`.
fn formation(env: &[(&str, &str)]) -> (Service, u16, u16, u16) {
    let (port, grpc, health) = (free_port(), free_port(), free_port());
    let texts = [port.to_string(), grpc.to_string(), health.to_string()];
    let mut all = vec![
        ("HOST", "127.0.0.1"),
        ("NO_COLOR", "1"),
        ("PORT", texts[0].as_str()),
        ("GRPC_PORT", texts[1].as_str()),
        ("HEALTH_PORT", texts[2].as_str()),
    ];
    all.extend_from_slice(env);
    (Service::start("formation", &all), port, grpc, health)
}

/// Where `needle` first appears in `text`; fails the test with `text` when it is absent.
fn position(text: &str, needle: &str) -> usize {
    text.find(needle)
        .unwrap_or_else(|| panic!("no {needle:?} in:\n{text}"))
}

fn port_is_free(port: u16) -> bool {
    TcpListener::bind(("127.0.0.1", port)).is_ok()
}

#[test]
fn both_listeners_serve_and_each_bind_is_logged_once_with_its_name() {
    let (service, port, grpc, _) = formation(&[]);
    wait_for_port(port, START);
    wait_for_port(grpc, START);
    assert_eq!(http_get(port, "/").unwrap(), (200, "http\n".to_owned()));
    assert_eq!(http_get(grpc, "/").unwrap(), (200, "grpc\n".to_owned()));
    service.kill("TERM");
    let exit = service.wait(EXIT);
    assert_eq!(exit.code(), Some(0), "{exit:?}");
    for (name, port) in [("main", port), ("grpc", grpc)] {
        let binds: Vec<&str> = exit
            .stdout
            .lines()
            .filter(|line| line.contains(&format!("listener=\"{name}\"")))
            .collect();
        assert_eq!(binds.len(), 1, "{}", exit.stdout);
        assert!(
            binds[0].contains(&format!("addr=127.0.0.1:{port}")),
            "{binds:?}"
        );
    }
}

#[test]
fn readiness_waits_for_the_last_listener() {
    let (service, port, grpc, health) = formation(&[("GRPC_WARMUP_MS", "1500")]);
    wait_for_port(port, START);
    wait_for_port(health, START);
    // PORT is bound, GRPC_PORT not yet: not ready.
    assert_eq!(
        http_get(health, "/readyz").unwrap(),
        (503, "not ready: starting\n".to_owned())
    );
    assert!(port_is_free(grpc), "GRPC_PORT bound before its warm-up");
    wait_for_port(grpc, START);
    let start = Instant::now();
    let ready = loop {
        let answer = http_get(health, "/readyz").unwrap();
        if answer.0 == 200 || start.elapsed() > START {
            break answer;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    assert_eq!(ready, (200, "ready\n".to_owned()));
    service.kill("TERM");
    assert_eq!(service.wait(EXIT).code(), Some(0));
}

#[test]
fn shutdown_delay_keeps_every_part_running_then_servers_drain_before_workers_stop_in_reverse() {
    let (service, port, grpc, health) =
        formation(&[("SHUTDOWN_DELAY", "1500ms"), ("TICK_MS", "100")]);
    wait_for_port(port, START);
    wait_for_port(grpc, START);
    service.wait_for_stdout("outbox: flushed", START);
    service.kill("TERM");
    service.wait_for_stdout("still serving for SHUTDOWN_DELAY", START);
    // During the delay: not ready, yet both listeners serve and the workers keep working.
    assert_eq!(http_get(health, "/readyz").unwrap().0, 503);
    assert_eq!(http_get(port, "/").unwrap(), (200, "http\n".to_owned()));
    assert_eq!(http_get(grpc, "/").unwrap(), (200, "grpc\n".to_owned()));
    let exit = service.wait(EXIT);
    assert_eq!(exit.code(), Some(0), "{exit:?}");
    let out = &exit.stdout;
    let signal = position(out, "received SIGTERM");
    let drained = position(out, "servers drained");
    let during = &out[signal..drained];
    assert!(during.contains("outbox: flushed"), "{out}");
    assert!(during.contains("dispatcher: job done"), "{out}");
    // Servers drained → dispatcher (registered last) stopped → outbox stopped → complete.
    let dispatcher = position(out, r#"worker "dispatcher" stopped in "#);
    let outbox = position(out, r#"worker "outbox" stopped in "#);
    let last_flush = position(out, "outbox: last flush done");
    let complete = position(out, "shutdown complete");
    assert!(drained < dispatcher, "{out}");
    assert!(dispatcher < last_flush && last_flush < outbox, "{out}");
    assert!(outbox < complete, "{out}");
    assert!(!out[..drained].contains("worker \""), "{out}");
}

/// `faults` with `FAULT=fault` on a free port.
fn fault(fault: &str, env: &[(&str, &str)]) -> (Service, u16) {
    let port = free_port();
    let port_text = port.to_string();
    let mut all = vec![
        ("HOST", "127.0.0.1"),
        ("NO_COLOR", "1"),
        ("PORT", port_text.as_str()),
        ("FAULT", fault),
    ];
    all.extend_from_slice(env);
    (Service::start("faults", &all), port)
}

fn error_lines(exit: &Exit) -> Vec<&str> {
    exit.stdout
        .lines()
        .filter(|line| line.contains(" ERROR "))
        .collect()
}

#[test]
fn a_failing_worker_stops_the_process_with_exit_1_naming_it() {
    let (service, _) = fault("worker-error", &[]);
    // No signal: the worker's error starts the stop; `main` then returns `Ok`.
    let exit = service.wait(EXIT);
    assert_eq!(exit.code(), Some(1), "{exit:?}");
    let errors = error_lines(&exit);
    assert_eq!(errors.len(), 1, "{}", exit.stdout);
    assert!(
        errors[0].contains(r#"worker "outbox" failed: the broker closed the connection"#),
        "{errors:?}"
    );
    assert!(
        !exit.stdout.contains(r#"worker "outbox" stopped"#),
        "{}",
        exit.stdout
    );
}

#[test]
fn a_panicking_worker_stops_the_process_with_exit_1_naming_it() {
    let (service, _) = fault("worker-panic", &[]);
    let exit = service.wait(EXIT);
    assert_eq!(exit.code(), Some(1), "{exit:?}");
    // One failure, one ERROR event: the panic itself, naming the worker and where it panicked.
    let errors = error_lines(&exit);
    assert_eq!(errors.len(), 1, "{}", exit.stdout);
    assert!(
        errors[0].contains(r#"worker "outbox" failed: panicked: FAULT=worker-panic"#),
        "{errors:?}"
    );
    assert!(errors[0].contains("location="), "{errors:?}");
}

#[test]
fn a_worker_that_finishes_early_changes_nothing() {
    let (service, port) = fault("worker-done", &[("FAULT_MS", "10")]);
    wait_for_port(port, START);
    service.wait_for_stdout(r#"worker "outbox" finished"#, START);
    assert_eq!(http_get(port, "/").unwrap().0, 200);
    service.kill("TERM");
    let exit = service.wait(EXIT);
    assert_eq!(exit.code(), Some(0), "{exit:?}");
    assert!(error_lines(&exit).is_empty(), "{}", exit.stdout);
}

#[test]
fn a_stuck_worker_exits_1_at_the_deadline_naming_it() {
    let (service, port) = fault("worker-stuck", &[("SHUTDOWN_TIMEOUT", "1s")]);
    wait_for_port(port, START);
    service.kill("TERM");
    let exit = service.wait(EXIT);
    assert_eq!(exit.code(), Some(1), "{exit:?}");
    assert!(exit.waited >= Duration::from_millis(900), "{exit:?}");
    let errors = error_lines(&exit);
    assert_eq!(errors.len(), 1, "{}", exit.stdout);
    assert!(
        errors[0].contains(r#"shutdown deadline of 1s passed with worker "outbox" still running"#),
        "{errors:?}"
    );
}

/// Runs the formation example with `env` and expects exit 78 with one stderr line per
/// variable in `names`, and nothing bound.
fn expect_exit_78(env: &[(&str, &str)], names: &[&str]) {
    let (service, port, grpc, health) = formation(env);
    let exit = service.wait(EXIT);
    assert_eq!(exit.code(), Some(78), "{exit:?}");
    let lines: Vec<&str> = exit.stderr.lines().collect();
    assert_eq!(lines.len(), names.len(), "{}", exit.stderr);
    for (line, name) in lines.iter().zip(names) {
        assert!(line.contains(&format!("invalid {name}=")), "{line}");
    }
    assert!(exit.stdout.is_empty(), "{}", exit.stdout);
    for port in [port, grpc, health] {
        assert!(port_is_free(port), "port {port} was bound");
    }
}

#[test]
fn a_bad_or_shared_listener_port_exits_78_with_one_line() {
    expect_exit_78(&[("GRPC_PORT", "abc")], &["GRPC_PORT"]);
    expect_exit_78(&[("GRPC_PORT", "70000")], &["GRPC_PORT"]);
    // The same port as PORT (set last, so it wins over the free port `formation` chose).
    let port = free_port().to_string();
    expect_exit_78(&[("PORT", &port), ("GRPC_PORT", &port)], &["GRPC_PORT"]);
    expect_exit_78(
        &[("HEALTH_PORT", &port), ("GRPC_PORT", &port)],
        &["GRPC_PORT"],
    );
    // Joined with the other bad variables, in reading order.
    expect_exit_78(
        &[("HOST", "nope"), ("GRPC_PORT", "x")],
        &["HOST", "GRPC_PORT"],
    );
}

#[test]
fn port_zero_may_repeat() {
    let (service, _, _, _) = formation(&[("PORT", "0"), ("GRPC_PORT", "0")]);
    service.wait_for_stdout(r#"listener="grpc""#, START);
    service.kill("TERM");
    assert_eq!(service.wait(EXIT).code(), Some(0));
}

#[cfg(target_os = "linux")]
#[test]
#[ignore = "needs systemd-socket-activate"]
fn socket_activation_passes_both_named_sockets() {
    use crate::support::process::{clean_command, example};
    use crate::support::tool::require;
    require("systemd-socket-activate");
    let (http, grpc) = (free_port(), free_port());
    let (port, grpc_port) = (free_port(), free_port());
    let mut command = clean_command("systemd-socket-activate");
    command
        .args(["-l", &format!("127.0.0.1:{grpc}")])
        .args(["-l", &format!("127.0.0.1:{http}")])
        // Named in the other order than `main` asks for them.
        .arg("--fdname=grpc:http")
        .args(["-E", &format!("PORT={port}"), "-E", "HOST=127.0.0.1"])
        .args(["-E", &format!("GRPC_PORT={grpc_port}"), "-E", "NO_COLOR=1"])
        .arg(example("formation"));
    let service = Service::spawn(command);
    wait_for_port(http, START);
    assert_eq!(http_get(http, "/").unwrap(), (200, "http\n".to_owned()));
    assert_eq!(http_get(grpc, "/").unwrap(), (200, "grpc\n".to_owned()));
    assert!(
        port_is_free(port),
        "PORT bound although systemd passed sockets"
    );
    assert!(
        port_is_free(grpc_port),
        "GRPC_PORT bound although systemd passed a grpc socket"
    );
    service.kill("TERM");
    let exit = service.wait(EXIT);
    assert_eq!(exit.code(), Some(0), "{exit:?}");
    assert_eq!(
        exit.stdout
            .matches("listening on the socket systemd passed")
            .count(),
        2,
        "{}",
        exit.stdout
    );
}

// ---------------------------------------------------------------------------------------------
// shapes of public services, rewritten with listeners and workers (corpus fixture binaries)

mod shapes {
    use super::{port_is_free, position, EXIT, START};
    use crate::support::cargo::{offline_first, target_dir};
    use crate::support::http::{free_port, wait_for_port};
    use crate::support::process::{clean_command, Service};
    use std::io::{Read, Write};
    use std::net::TcpStream;
    use std::path::{Path, PathBuf};
    use std::sync::OnceLock;

    fn bin(name: &str) -> PathBuf {
        static BUILT: OnceLock<PathBuf> = OnceLock::new();
        BUILT
            .get_or_init(|| {
                let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus");
                let target = target_dir("corpus_fixture");
                let output = offline_first("build", &fixture, &target, &["--bins"]);
                assert!(
                    output.status.success(),
                    "the corpus fixture does not build:\n{}",
                    String::from_utf8_lossy(&output.stderr)
                );
                target.join("debug")
            })
            .join(name)
    }

    fn start(name: &str, env: &[(&str, &str)]) -> Service {
        let mut command = clean_command(bin(name));
        command
            .env("NO_COLOR", "1")
            .env("HOST", "127.0.0.1")
            .envs(env.iter().copied());
        Service::spawn(command)
    }

    /// A raw request; the status code and body.
    fn request(port: u16, method: &str, path: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        );
        stream.write_all(head.as_bytes()).expect("write");
        let mut response = String::new();
        stream.read_to_string(&mut response).expect("read");
        let status = response[9..12].parse().expect("status");
        let body = response
            .split_once("\r\n\r\n")
            .map(|(_, b)| b.to_owned())
            .unwrap_or_default();
        (status, body)
    }

    #[test]
    fn outbox_poller_publishes_orders_accepted_during_the_delay() {
        let (port, metrics, health) = (free_port(), free_port(), free_port());
        let ports = [port.to_string(), metrics.to_string(), health.to_string()];
        let service = start(
            "formation_outbox",
            &[
                ("PORT", &ports[0]),
                ("METRICS_PORT", &ports[1]),
                ("HEALTH_PORT", &ports[2]),
                ("SHUTDOWN_DELAY", "1s"),
            ],
        );
        wait_for_port(port, START);
        wait_for_port(metrics, START);
        assert_eq!(
            request(port, "POST", "/orders/1"),
            (200, "accepted\n".into())
        );
        service.wait_for_stdout("published order 1", START);
        service.kill("TERM");
        service.wait_for_stdout("still serving for SHUTDOWN_DELAY", START);
        // Accepted while the pod is being taken out of rotation: still published before exit.
        assert_eq!(
            request(port, "POST", "/orders/2"),
            (200, "accepted\n".into())
        );
        assert_eq!(request(metrics, "GET", "/metrics").0, 200);
        let exit = service.wait(EXIT);
        assert_eq!(exit.code(), Some(0), "{exit:?}");
        let out = &exit.stdout;
        assert!(position(out, "published order 2") < position(out, r#"worker "outbox" stopped"#));
        assert!(
            position(out, "servers drained") < position(out, "outbox flushed"),
            "{out}"
        );
    }

    #[test]
    fn dispatcher_on_one_thread_finishes_in_flight_jobs_after_the_listener_closes() {
        let grpc = free_port();
        let grpc_text = grpc.to_string();
        let port = free_port();
        let port_text = port.to_string();
        let service = start(
            "formation_dispatcher",
            &[
                ("GRPC_PORT", &grpc_text),
                ("PORT", &port_text),
                ("JOB_MS", "600"),
            ],
        );
        wait_for_port(grpc, START);
        let mut answer = String::new();
        TcpStream::connect(("127.0.0.1", grpc))
            .and_then(|mut s| s.read_to_string(&mut answer))
            .expect("grpc answers");
        assert_eq!(answer, "grpc\n");
        service.wait_for_stdout("job 1 done", START);
        service.kill("TERM");
        let exit = service.wait(EXIT);
        assert_eq!(exit.code(), Some(0), "{exit:?}");
        let out = &exit.stdout;
        assert!(
            position(out, "grpc listener closed") < position(out, "in-flight job(s)"),
            "{out}"
        );
        assert!(
            position(out, "in-flight job(s)") < position(out, r#"worker "dispatcher" stopped"#)
        );
        // `main`'s PORT is never bound in this shape.
        assert!(port_is_free(port));
    }

    #[test]
    fn sync_consumer_drains_after_the_producer_stops() {
        let service = start("formation_consumer", &[]);
        std::thread::sleep(std::time::Duration::from_millis(400));
        service.kill("TERM");
        let exit = service.wait(EXIT);
        assert_eq!(exit.code(), Some(0), "{exit:?}");
        let out = &exit.stdout;
        // The producer (registered last) is told first; dropping its sender ends the
        // consumer's queue, so the consumer finishes on its own before it is told.
        let sent = position(out, "producer stopped after ");
        let acked = position(out, "consumer acked ");
        let finished = position(out, r#"worker "consumer" finished"#);
        let producer = position(out, r#"worker "producer" stopped"#);
        assert!(
            sent < acked && acked < finished && finished < producer,
            "{out}"
        );
        // Every message sent was acknowledged.
        let count = |from: usize| {
            out[from..]
                .split_whitespace()
                .nth(if from == sent { 3 } else { 2 })
                .unwrap_or_default()
                .to_owned()
        };
        assert_eq!(count(sent), count(acked), "{out}");
    }

    #[test]
    fn sync_consumer_fails_on_a_poison_message_with_exit_1() {
        let service = start("formation_consumer", &[("FAIL_AT", "3")]);
        let exit = service.wait(EXIT);
        assert_eq!(exit.code(), Some(1), "{exit:?}");
        assert!(
            exit.stdout
                .contains(r#"worker "consumer" failed: poison message 3"#),
            "{}",
            exit.stdout
        );
        assert!(
            exit.stdout.contains(r#"worker "producer" stopped"#),
            "{}",
            exit.stdout
        );
    }
}

#[test]
fn help_lists_the_declared_listeners_variables_even_with_a_bad_environment() {
    let output = std::process::Command::new(crate::support::process::example("formation"))
        .arg("--help")
        .env("PORT", "abc")
        .env("GRPC_PORT", "abc")
        .output()
        .expect("the formation example runs");
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let help = String::from_utf8_lossy(&output.stdout);
    let line = help
        .lines()
        .find(|line| line.trim_start().starts_with("GRPC_PORT "))
        .unwrap_or_else(|| panic!("no GRPC_PORT line in:\n{help}"));
    assert!(line.contains("(default: 50051)"), "{line}");
}
