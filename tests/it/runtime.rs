//! The runtime contract, end to end: the built examples run as real processes, receive real
//! signals from `kill`, and are talked to over real sockets.

use crate::support::http::{free_port, get_in_background, http_get, wait_for_port};
use crate::support::process::{send_signal, Service};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::process::Stdio;
use std::time::{Duration, Instant};

const START: Duration = Duration::from_secs(20);
const EXIT: Duration = Duration::from_secs(20);

/// Starts `name` on a free port and waits until it accepts connections.
fn serve(name: &str, env: &[(&str, &str)]) -> (Service, u16) {
    let (service, port) = start(name, env);
    wait_for_port(port, START);
    (service, port)
}

/// Starts `name` on a free port of 127.0.0.1 (for programs that may exit right after binding).
fn start(name: &str, env: &[(&str, &str)]) -> (Service, u16) {
    let port = free_port();
    let port_text = port.to_string();
    let mut env = env.to_vec();
    env.push(("PORT", &port_text));
    env.push(("HOST", "127.0.0.1"));
    (Service::start(name, &env), port)
}

/// The log filter under which the http example says when a slow request reached its handler.
const SLOW_LOGGED: (&str, &str) = ("RUST_LOG", "info,http=debug");

/// Starts a `/slow?ms=…` request on another thread and waits until the handler has it (the
/// service runs with [`SLOW_LOGGED`]); returns its handle.
fn slow_request(
    service: &Service,
    port: u16,
    ms: u64,
) -> std::thread::JoinHandle<std::io::Result<(u16, String)>> {
    let handle = get_in_background(port, &format!("/slow?ms={ms}"));
    service.wait_for_stdout("slow request started", START);
    handle
}

#[test]
fn serves_on_port_and_logs_plain_text_through_a_pipe() {
    let (service, port) = serve("http", &[]);
    assert_eq!(
        http_get(port, "/").unwrap(),
        (200, "hello from twelve_factor\n".into())
    );
    assert_eq!(http_get(port, "/healthz").unwrap().0, 200);
    service.kill("TERM");
    let exit = service.wait(EXIT);
    assert_eq!(exit.code(), Some(0), "{exit:?}");
    assert!(
        exit.stdout
            .contains(&format!("listening addr=127.0.0.1:{port}")),
        "{}",
        exit.stdout
    );
    assert!(
        exit.stdout.contains("received SIGTERM, shutting down"),
        "{}",
        exit.stdout
    );
    assert!(
        !exit.stdout.contains('\u{1b}'),
        "ANSI escape codes on a pipe:\n{}",
        exit.stdout
    );
    assert!(exit.stderr.is_empty(), "stderr: {}", exit.stderr);
    for line in exit.stdout.lines() {
        assert!(
            line.contains(" INFO ") || line.contains(" WARN ") || line.contains(" ERROR "),
            "{line}"
        );
    }
}

#[test]
fn json_logs_are_one_object_per_line() {
    let (service, port) = serve("http", &[("LOG_FORMAT", "json")]);
    http_get(port, "/").unwrap();
    service.kill("TERM");
    let exit = service.wait(EXIT);
    assert_eq!(exit.code(), Some(0));
    let lines: Vec<&str> = exit.stdout.lines().collect();
    assert!(lines.len() >= 3, "{}", exit.stdout);
    let mut messages = Vec::new();
    for line in lines {
        let event: serde_json::Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        assert!(event["timestamp"].is_string(), "{line}");
        assert!(event["level"].is_string(), "{line}");
        messages.push(event["message"].as_str().unwrap_or_default().to_owned());
    }
    assert!(messages.iter().any(|m| m == "listening"), "{messages:?}");
    assert!(
        messages.iter().any(|m| m == "shutdown complete"),
        "{messages:?}"
    );
}

#[test]
fn rust_log_filters_events() {
    let (service, _port) = serve("http", &[("RUST_LOG", "warn")]);
    service.kill("TERM");
    let exit = service.wait(EXIT);
    assert_eq!(exit.code(), Some(0));
    assert!(
        !exit.stdout.contains("INFO"),
        "info events despite RUST_LOG=warn:\n{}",
        exit.stdout
    );
}

#[test]
fn a_bare_level_in_rust_log_filters_like_a_directive() {
    // `RUST_LOG=DEBUG` (any case) is a plain level filter; unset means `info`.
    for (env, debug_expected) in [(vec![("RUST_LOG", "DEBUG")], true), (vec![], false)] {
        let (service, port) = serve("http", &env);
        assert_eq!(http_get(port, "/slow?ms=10").unwrap().0, 200);
        service.kill("TERM");
        let exit = service.wait(EXIT);
        assert_eq!(exit.code(), Some(0), "{exit:?}");
        assert_eq!(
            exit.stdout.contains("slow request started"),
            debug_expected,
            "{env:?}:\n{}",
            exit.stdout
        );
        assert!(exit.stdout.contains("listening"), "{}", exit.stdout);
    }
}

#[test]
fn sigterm_drains_an_in_flight_request_then_exits_0() {
    let (service, port) = serve("http", &[SLOW_LOGGED]);
    let request = slow_request(&service, port, 1500);
    let signalled = Instant::now();
    service.kill("TERM");
    let exit = service.wait(EXIT);
    assert_eq!(exit.code(), Some(0), "{exit:?}");
    assert_eq!(
        request.join().unwrap().unwrap(),
        (200, "slept 1500 ms\n".into())
    );
    assert!(
        signalled.elapsed() >= Duration::from_millis(1000),
        "exited before the request finished"
    );
    assert!(
        exit.stdout.contains("all requests drained"),
        "{}",
        exit.stdout
    );
    assert!(
        TcpStream::connect(("127.0.0.1", port)).is_err(),
        "still listening after exit"
    );
}

#[test]
fn repeated_sigterm_does_not_cut_the_drain_short() {
    let (service, port) = serve("http", &[SLOW_LOGGED]);
    let request = slow_request(&service, port, 1500);
    for _ in 0..4 {
        service.kill("TERM");
        std::thread::sleep(Duration::from_millis(100));
    }
    let exit = service.wait(EXIT);
    assert_eq!(exit.code(), Some(0), "{exit:?}");
    assert_eq!(request.join().unwrap().unwrap().0, 200);
    assert_eq!(
        exit.stdout
            .matches("while already shutting down; ignoring it")
            .count(),
        3,
        "{}",
        exit.stdout
    );
}

#[test]
fn sighup_also_drains() {
    let (service, port) = serve("http", &[SLOW_LOGGED]);
    let request = slow_request(&service, port, 800);
    service.kill("HUP");
    let exit = service.wait(EXIT);
    assert_eq!(exit.code(), Some(0), "{exit:?}");
    assert_eq!(request.join().unwrap().unwrap().0, 200);
    assert!(exit.stdout.contains("received SIGHUP"), "{}", exit.stdout);
}

#[test]
fn second_sigint_exits_130_at_once() {
    let (service, port) = serve("http", &[SLOW_LOGGED]);
    let _request = slow_request(&service, port, 10_000);
    service.kill("INT");
    service.wait_for_stdout("received SIGINT, shutting down", START);
    service.kill("INT");
    let exit = service.wait(EXIT);
    assert_eq!(exit.code(), Some(130), "{exit:?}");
    assert!(
        exit.waited < Duration::from_secs(5),
        "the second SIGINT did not exit at once: {:?}",
        exit.waited
    );
    assert!(
        exit.stdout.contains("received SIGINT while shutting down"),
        "{}",
        exit.stdout
    );
}

#[test]
fn deadline_exits_1_and_says_what_was_running() {
    let (service, port) = serve("http", &[("SHUTDOWN_TIMEOUT", "500ms"), SLOW_LOGGED]);
    let _request = slow_request(&service, port, 10_000);
    service.kill("TERM");
    let exit = service.wait(EXIT);
    assert_eq!(exit.code(), Some(1), "{exit:?}");
    assert!(exit.waited < Duration::from_secs(5), "{:?}", exit.waited);
    assert!(
        exit.stdout
            .contains("shutdown deadline of 500ms passed with main still running"),
        "{}",
        exit.stdout
    );
}

#[test]
fn deadline_counts_spawned_tasks() {
    let (service, _port) = serve(
        "faults",
        &[("FAULT", "hang-task"), ("SHUTDOWN_TIMEOUT", "300ms")],
    );
    service.kill("TERM");
    let exit = service.wait(EXIT);
    assert_eq!(exit.code(), Some(1), "{exit:?}");
    assert!(
        exit.stdout.contains("passed with 1 task(s) still running"),
        "{}",
        exit.stdout
    );
    assert!(exit.stdout.contains("tasks=1"), "{}", exit.stdout);
}

#[test]
fn panic_in_main_is_logged_then_exits_101() {
    let (service, _port) = start("faults", &[("FAULT", "panic"), ("RUST_BACKTRACE", "0")]);
    let exit = service.wait(EXIT);
    assert_eq!(exit.code(), Some(101), "{exit:?}");
    let panic_line = exit
        .stdout
        .lines()
        .find(|line| line.contains("panicked"))
        .unwrap_or_else(|| panic!("no panic event:\n{}", exit.stdout));
    assert!(panic_line.contains("ERROR"), "{panic_line}");
    assert!(
        panic_line.contains("FAULT=panic: main panics on purpose"),
        "{panic_line}"
    );
    assert!(panic_line.contains("examples/faults.rs:"), "{panic_line}");
    assert!(
        exit.stderr.is_empty(),
        "the default hook printed too: {}",
        exit.stderr
    );
}

#[test]
fn panic_event_is_json_with_log_format_json() {
    let (service, _port) = start(
        "faults",
        &[
            ("FAULT", "panic"),
            ("LOG_FORMAT", "json"),
            ("RUST_BACKTRACE", "0"),
        ],
    );
    let exit = service.wait(EXIT);
    assert_eq!(exit.code(), Some(101));
    let event = exit
        .stdout
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap())
        .find(|event| event["message"] == "panicked")
        .expect("panic event");
    assert_eq!(event["level"], "ERROR");
    assert_eq!(event["panic"], "FAULT=panic: main panics on purpose");
}

#[test]
fn error_from_main_logs_its_chain_and_exits_1() {
    let (service, _port) = start("faults", &[("FAULT", "error")]);
    let exit = service.wait(EXIT);
    assert_eq!(exit.code(), Some(1), "{exit:?}");
    assert!(
        exit.stdout
            .contains("main returned an error error=cannot load the widget catalogue: catalogue.json: no such file"),
        "{}",
        exit.stdout
    );
}

#[test]
fn bad_environment_exits_78_with_one_line_naming_the_variable() {
    let cases: &[(&str, &str)] = &[
        ("PORT", "abc"),
        ("PORT", "70000"),
        ("PORT", "-1"),
        ("PORT", ""),
        ("HOST", "nope"),
        ("LOG_FORMAT", "xml"),
        ("RUST_LOG", "info,[[["),
        ("SHUTDOWN_TIMEOUT", "forever"),
    ];
    for (name, value) in cases {
        let output = Service::command("http", &[(name, value)]).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(78), "{name}={value:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{name}={value:?}: {stderr}");
        assert!(
            stderr.starts_with(&format!("http: invalid {name}={value:?}: ")),
            "{stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(
            output.stdout.is_empty(),
            "{name}={value:?} logged: {}",
            String::from_utf8_lossy(&output.stdout)
        );
    }
}

/// The examples are built with the default features, without `env-filter`: a span directive
/// is refused up front, naming the feature that accepts it.
#[cfg(not(feature = "env-filter"))]
#[test]
fn span_directives_without_env_filter_exit_78_naming_the_feature() {
    let value = "info,[request]=debug";
    let output = Service::command("http", &[("RUST_LOG", value)])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(78), "{stderr}");
    assert!(
        stderr.starts_with(&format!("http: invalid RUST_LOG={value:?}: ")),
        "{stderr}"
    );
    assert!(stderr.contains("`env-filter` feature"), "{stderr}");
}

#[test]
fn closed_stdout_does_not_stop_the_service() {
    let port = free_port();
    let mut command = Service::command(
        "faults",
        &[
            ("PORT", &port.to_string()),
            ("HOST", "127.0.0.1"),
            ("FAULT", "spam"),
        ],
    );
    command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .stdin(Stdio::null());
    let mut child = command.spawn().unwrap();
    // Like `| head -1`: read one line, then close the read end.
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    assert!(first.contains("listening"), "{first}");
    drop(stdout);
    std::thread::sleep(Duration::from_millis(300)); // the spammer keeps logging into EPIPE
    for _ in 0..20 {
        assert_eq!(http_get(port, "/").unwrap().0, 200);
    }
    send_signal(child.id(), "TERM");
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert!(stderr.is_empty(), "{stderr}");
}

#[test]
fn echo_server_written_against_the_facade_drains_its_connections() {
    let (service, port) = serve("echo", &[]);
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    stream.write_all(b"ping\n").unwrap();
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    assert_eq!(line, "ping\n");
    service.kill("TERM");
    line.clear();
    reader.read_line(&mut line).unwrap();
    assert_eq!(
        line, "bye\n",
        "the connection task did not see the shutdown"
    );
    let exit = service.wait(EXIT);
    assert_eq!(exit.code(), Some(0), "{exit:?}");
    assert!(exit.stdout.contains("connection closed"), "{}", exit.stdout);
}

#[test]
fn worker_finishes_its_current_job_on_shutdown() {
    let service = Service::start("worker", &[("JOB_MS", "700")]);
    service.wait_for_stdout("job started unit=2", START);
    service.kill("TERM");
    let exit = service.wait(EXIT);
    assert_eq!(exit.code(), Some(0), "{exit:?}");
    let signal_at = exit.stdout.find("received SIGTERM").expect("signal logged");
    let finished_after = exit.stdout[signal_at..].find("job finished unit=2");
    assert!(
        finished_after.is_some(),
        "job 2 was not finished after the signal:\n{}",
        exit.stdout
    );
    assert!(
        exit.stdout
            .contains("worker stopped after finishing its current job units=2"),
        "{}",
        exit.stdout
    );
    assert!(
        !exit.stdout.contains("job started unit=3"),
        "{}",
        exit.stdout
    );
}

#[test]
fn synchronous_main_stops_on_sigterm() {
    let service = Service::start("sync", &[]);
    std::thread::sleep(Duration::from_millis(500));
    service.kill("TERM");
    let exit = service.wait(EXIT);
    assert_eq!(exit.code(), Some(0), "{exit:?}");
    assert!(exit.stdout.contains("stopping ticks="), "{}", exit.stdout);
}

#[test]
fn hello_waits_for_the_signal() {
    let service = Service::start("hello", &[]);
    service.wait_for_stdout("waiting for a shutdown signal", START);
    std::thread::sleep(Duration::from_millis(200));
    assert!(
        service.stdout().lines().count() == 1,
        "{}",
        service.stdout()
    );
    service.kill("INT");
    let exit = service.wait(EXIT);
    assert_eq!(exit.code(), Some(0), "{exit:?}");
    assert!(exit.stdout.contains("goodbye"), "{}", exit.stdout);
}

#[test]
fn port_in_use_is_an_error_naming_the_address() {
    let blocker = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = blocker.local_addr().unwrap().port().to_string();
    let service = Service::start("http", &[("PORT", &port), ("HOST", "127.0.0.1")]);
    let exit = service.wait(EXIT);
    assert_eq!(exit.code(), Some(1), "{exit:?}");
    assert!(
        exit.stdout.contains(&format!(
            "cannot listen on 127.0.0.1:{port}: Address already in use"
        )),
        "{}",
        exit.stdout
    );
}
