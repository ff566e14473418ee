//! The fault suite: real processes (the built examples), real signals, real sockets, abused on
//! purpose. Each test states the contract it holds the runtime to.
//!
//! What happens to the logs when stdout misbehaves (asserted below):
//!
//! - **stdout closed** (the reader went away): every write fails with `EPIPE` (Rust ignores
//!   `SIGPIPE`), the writer thread discards the line, and the service keeps serving, drains and
//!   exits with its usual code. The lines are lost; nothing is written to stderr instead.
//! - **stdout a full pipe** (a reader that stopped reading): the writer thread blocks on the pipe
//!   while the service does not — log calls only enqueue. Requests, the drain and the deadline
//!   run on time. Once the queue is full, further lines are dropped and counted; when the pipe is
//!   read again, a warning reports how many were dropped. At exit the queue is flushed for at
//!   most one second, so an exit with stdout still full takes up to one extra second and the
//!   queued lines are lost.
//!
//! Tests that need an external tool are `#[ignore = "needs …"]`; `.ci/run` runs them with
//! `--include-ignored`.

use crate::support::http::{free_port, get_in_background, http_get, wait_for_port};
use crate::support::process::{example, with_own_listen_pid, Service};
use crate::support::quiet::quiet;
use std::ffi::OsStr;
use std::fs::File;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::process::ExitStatusExt;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Barrier, Mutex};
use std::time::{Duration, Instant};

const START: Duration = Duration::from_secs(30);

fn no_panic_text(output: &str) {
    assert!(
        !output.contains("panicked at") && !output.contains("RUST_BACKTRACE"),
        "a panic or backtrace was printed:\n{output}"
    );
}

// ---------------------------------------------------------------------------------------------
// Bad configuration: exit 78, exactly one stderr line naming the variable, nothing on stdout.

/// Runs `command` to completion (it must not need a signal) and checks the EX_CONFIG contract.
fn assert_config_error(mut command: Command, variable: &str, value: &OsStr, case: &str) {
    command.stdin(Stdio::null());
    let started = Instant::now();
    let service = Service::spawn(command);
    let exit = service.wait(Duration::from_secs(10));
    assert_eq!(
        exit.code(),
        Some(78),
        "{case}: expected exit 78, got {:?}\nstdout:\n{}\nstderr:\n{}",
        exit.status,
        exit.stdout,
        exit.stderr
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{case}: took {:?} to fail",
        started.elapsed()
    );
    assert_eq!(exit.stdout, "", "{case}: stdout must stay empty");
    let lines: Vec<&str> = exit.stderr.lines().collect();
    assert_eq!(
        lines.len(),
        1,
        "{case}: expected exactly one stderr line, got:\n{}",
        exit.stderr
    );
    let line = lines[0];
    assert!(
        line.contains(variable),
        "{case}: {line:?} does not name {variable}"
    );
    let shown = value.to_string_lossy();
    assert!(
        line.contains(&format!("{shown:?}"))
            || line.contains(shown.as_ref())
            || line.contains(&value.as_bytes().escape_ascii().to_string()),
        "{case}: {line:?} does not show the value {shown:?}"
    );
    assert!(
        !line.contains('\u{1b}'),
        "{case}: ANSI escape in the error line"
    );
    no_panic_text(&exit.stderr);
}

/// `(variable, value, extra environment that makes the value matter)`.
type BadValue = (
    &'static str,
    &'static str,
    Vec<(&'static str, &'static str)>,
);

fn bad_values() -> Vec<BadValue> {
    vec![
        ("PORT", "abc", vec![]),
        ("PORT", "70000", vec![]),
        ("PORT", "-1", vec![]),
        ("PORT", "", vec![]),
        ("PORT", " 8080", vec![]),
        ("PORT", "80.5", vec![]),
        ("HOST", "nope", vec![]),
        ("HOST", "localhost", vec![]),
        ("HOST", "300.1.1.1", vec![]),
        ("LOG_FORMAT", "xml", vec![]),
        ("LOG_FORMAT", "JSONL", vec![]),
        ("RUST_LOG", "info,[[[", vec![]),
        ("RUST_LOG", "my_crate=loud", vec![]),
        ("SHUTDOWN_TIMEOUT", "forever", vec![]),
        ("SHUTDOWN_TIMEOUT", "-1s", vec![]),
        ("SHUTDOWN_TIMEOUT", "1.5s", vec![]),
        ("SHUTDOWN_DELAY", "bad", vec![]),
        ("SHUTDOWN_DELAY", "5 s", vec![]),
        // LISTEN_* count only with LISTEN_PID; a syntax error is reported whatever the pid.
        ("LISTEN_FDS", "two", vec![("LISTEN_PID", "1")]),
        ("LISTEN_FDS", "-1", vec![("LISTEN_PID", "1")]),
        ("LISTEN_PID", "self", vec![("LISTEN_FDS", "1")]),
        ("NOTIFY_SOCKET", "relative/notify.sock", vec![]),
        ("WATCHDOG_USEC", "soon", vec![]),
        ("WATCHDOG_USEC", "0", vec![]),
        ("WATCHDOG_PID", "me", vec![("WATCHDOG_USEC", "1000000")]),
    ]
}

#[test]
fn bad_env_matrix_exits_78_with_one_stderr_line() {
    let port = free_port().to_string();
    let cases = bad_values();
    assert!(cases.len() >= 12);
    for (variable, value, extra) in cases {
        let mut env: Vec<(&str, &str)> = vec![("PORT", &port)];
        env.retain(|(name, _)| *name != variable);
        env.push((variable, value));
        env.extend(extra);
        assert_config_error(
            Service::command("http", &env),
            variable,
            OsStr::new(value),
            &format!("http with {variable}={value:?}"),
        );
    }
}

#[test]
fn non_utf8_value_exits_78() {
    let value = OsStr::from_bytes(b"80\xff");
    let mut command = Service::command("http", &[]);
    command.env("PORT", value);
    assert_config_error(command, "PORT", value, "PORT=<non-UTF-8>");
}

/// Every shape of `main` (async with App, async workers, sync, hand-rolled accept loops) fails
/// the same way, before any of its code runs.
#[test]
fn bad_env_fails_the_same_in_every_example() {
    for name in ["hello", "worker", "sync", "echo", "faults", "http"] {
        for (variable, value) in [("SHUTDOWN_DELAY", "soon"), ("LOG_FORMAT", "yaml")] {
            assert_config_error(
                Service::command(name, &[(variable, value)]),
                variable,
                OsStr::new(value),
                &format!("{name} with {variable}={value:?}"),
            );
        }
    }
}

/// Socket activation meant for this very process (`LISTEN_PID` = its pid, set by `sh` before
/// `exec`) but inconsistent: no socket at fd 3, or names that do not match the count.
#[test]
fn socket_activation_for_this_process_but_malformed_exits_78() {
    for (variable, extra, value_shown) in [
        ("LISTEN_FDS", vec![("LISTEN_FDS", "1")], "1"),
        (
            "LISTEN_FDNAMES",
            vec![("LISTEN_FDS", "1"), ("LISTEN_FDNAMES", "http:admin")],
            "http:admin",
        ),
    ] {
        let mut command = with_own_listen_pid(example("http"));
        command.envs(extra.iter().copied());
        assert_config_error(
            command,
            variable,
            OsStr::new(value_shown),
            &format!("{variable} for this pid"),
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Port already in use: main's `?` returns the io error, which names the address; exit 1.

#[test]
fn port_in_use_names_the_address_and_exits_1() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    for name in ["http", "echo"] {
        let service = Service::start(name, &[("HOST", "127.0.0.1"), ("PORT", &port)]);
        let exit = service.wait(Duration::from_secs(20));
        assert_eq!(exit.code(), Some(1), "{name}: {exit:?}");
        let address = format!("127.0.0.1:{port}");
        let errors: Vec<&str> = exit
            .stdout
            .lines()
            .filter(|line| line.contains("ERROR"))
            .collect();
        assert_eq!(
            errors.len(),
            1,
            "{name}: one error event expected:\n{}",
            exit.stdout
        );
        assert!(
            errors[0].contains(&format!("cannot listen on {address}"))
                && errors[0].contains("Address already in use"),
            "{name}: the error must name the address and the cause: {}",
            errors[0]
        );
        assert!(
            !exit.stdout.contains("listening"),
            "{name}: must not claim to listen:\n{}",
            exit.stdout
        );
        no_panic_text(&exit.stdout);
        no_panic_text(&exit.stderr);
    }
    drop(taken);
}

// ---------------------------------------------------------------------------------------------
// stdout closed, stdout a full pipe.

/// A child with stdout connected to `stdout` and stderr collected.
struct Raw {
    child: Child,
    stderr: Arc<Mutex<String>>,
    reader: Option<std::thread::JoinHandle<()>>,
}

impl Raw {
    fn spawn(mut command: Command, stdout: Stdio) -> Raw {
        command
            .stdin(Stdio::null())
            .stdout(stdout)
            .stderr(Stdio::piped());
        let mut child = command.spawn().expect("spawn");
        let mut pipe = child.stderr.take().unwrap();
        let stderr = Arc::new(Mutex::new(String::new()));
        let into = stderr.clone();
        let reader = std::thread::spawn(move || {
            let mut text = String::new();
            let _ = pipe.read_to_string(&mut text);
            into.lock().unwrap().push_str(&text);
        });
        Raw {
            child,
            stderr,
            reader: Some(reader),
        }
    }

    fn signal(&self, signal: libc::c_int) {
        // SAFETY: a signal to our own child.
        assert_eq!(unsafe { libc::kill(self.child.id() as i32, signal) }, 0);
    }

    /// Waits for the exit; returns the status, the time waited and stderr.
    fn wait(mut self, timeout: Duration) -> (ExitStatus, Duration, String) {
        let start = Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if start.elapsed() > timeout {
                let _ = self.child.kill();
                let _ = self.child.wait();
                panic!(
                    "no exit within {timeout:?}; stderr:\n{}",
                    self.stderr.lock().unwrap()
                );
            }
            std::thread::sleep(Duration::from_millis(2));
        };
        let waited = start.elapsed();
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
        let stderr = self.stderr.lock().unwrap().clone();
        (status, waited, stderr)
    }
}

impl Drop for Raw {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A pipe whose buffer is already completely full: any write to `.1` blocks until `.0` is
/// read. Returns (read end, write end), both blocking.
fn full_pipe() -> (File, OwnedFd) {
    let mut fds = [0; 2];
    // SAFETY: pipe2 fills the two descriptors, which we then own.
    assert_eq!(unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) }, 0);
    let (read, write) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    let fd = write.as_raw_fd();
    // SAFETY: fcntl and write on a descriptor we own; the buffer outlives the calls.
    unsafe {
        let flags = libc::fcntl(fd, libc::F_GETFL);
        libc::fcntl(fd, libc::F_SETFL, flags | libc::O_NONBLOCK);
        let chunk = [b'#'; 4096];
        while libc::write(fd, chunk.as_ptr().cast(), chunk.len()) > 0 {}
        while libc::write(fd, chunk.as_ptr().cast(), 1) > 0 {}
        libc::fcntl(fd, libc::F_SETFL, flags);
    }
    (File::from(read), write)
}

/// Reads everything from `file` on a thread; returns the handle for the text.
fn drain(mut file: File) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = file.read_to_end(&mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

/// A `/slow` request on a thread: (status, body) when it completes.
fn slow_request(port: u16, ms: u64) -> std::thread::JoinHandle<std::io::Result<(u16, String)>> {
    get_in_background(port, &format!("/slow?ms={ms}"))
}

#[test]
fn stdout_closed_before_the_first_line_keeps_serving_and_drains() {
    // The http example: a slow request in flight must still complete after SIGTERM.
    let port = free_port();
    let (read, write) = full_pipe();
    drop(read); // the reader is gone before the process writes anything
    let service = Raw::spawn(
        Service::command("http", &[("PORT", &port.to_string())]),
        Stdio::from(write),
    );
    wait_for_port(port, START);
    for _ in 0..20 {
        assert_eq!(http_get(port, "/").unwrap().0, 200);
    }
    let slow = slow_request(port, 700);
    std::thread::sleep(Duration::from_millis(150));
    service.signal(libc::SIGTERM);
    let (status, body) = slow.join().unwrap().expect("in-flight request completes");
    assert_eq!((status, body.as_str()), (200, "slept 700 ms\n"));
    let (exit, waited, stderr) = service.wait(Duration::from_secs(10));
    assert_eq!(exit.code(), Some(0), "{exit:?} stderr:\n{stderr}");
    assert!(waited < Duration::from_secs(2), "exit took {waited:?}");
    assert_eq!(stderr, "", "nothing may spill to stderr");
}

#[test]
fn stdout_closed_under_heavy_logging_keeps_serving() {
    // FAULT=spam logs a line every millisecond into a closed pipe.
    let port = free_port();
    let mut command = Service::command("faults", &[("PORT", &port.to_string()), ("FAULT", "spam")]);
    command.stdout(Stdio::piped());
    let mut service = Raw::spawn(command, Stdio::piped());
    drop(service.child.stdout.take()); // close the read end at once
    wait_for_port(port, START);
    let until = Instant::now() + Duration::from_millis(1500);
    let mut served = 0;
    while Instant::now() < until {
        let (status, body) = http_get(port, "/").expect("serves with stdout closed");
        assert_eq!((status, body.as_str()), (200, "ok\n"));
        served += 1;
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(served > 10);
    service.signal(libc::SIGTERM);
    let (exit, waited, stderr) = service.wait(Duration::from_secs(10));
    assert_eq!(exit.code(), Some(0), "{exit:?} stderr:\n{stderr}");
    assert!(waited < Duration::from_secs(2), "exit took {waited:?}");
    no_panic_text(&stderr);
    assert_eq!(stderr, "");
}

#[test]
fn stdout_full_from_the_start_does_not_block_serving_or_the_drain() {
    let port = free_port();
    let (read, write) = full_pipe();
    let service = Raw::spawn(
        Service::command("http", &[("PORT", &port.to_string())]),
        Stdio::from(write),
    );
    // "listening" is queued behind a full pipe, yet the port opens and requests are served.
    wait_for_port(port, START);
    let started = Instant::now();
    for _ in 0..20 {
        assert_eq!(http_get(port, "/").unwrap().0, 200);
    }
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "20 requests took {:?} with stdout full",
        started.elapsed()
    );
    let slow = slow_request(port, 600);
    std::thread::sleep(Duration::from_millis(150));
    let signalled = Instant::now();
    service.signal(libc::SIGTERM);
    let (status, body) = slow.join().unwrap().expect("in-flight request completes");
    assert_eq!((status, body.as_str()), (200, "slept 600 ms\n"));
    let answered = signalled.elapsed();
    let (exit, waited, stderr) = service.wait(Duration::from_secs(10));
    assert_eq!(exit.code(), Some(0), "{exit:?} stderr:\n{stderr}");
    // The drain ends with the request; the exit then waits at most 1 s for the stuck log lines.
    assert!(
        waited < answered + Duration::from_millis(1500),
        "exit {waited:?} after SIGTERM, response after {answered:?}"
    );
    assert_eq!(stderr, "");
    // What the pipe holds: the filler only — the queued lines were lost with the process.
    let text = drain(read).join().unwrap();
    assert!(text.starts_with('#'), "pipe content changed unexpectedly");
}

#[test]
fn stdout_full_does_not_delay_the_deadline() {
    // A task ignores the shutdown and stdout is full: the deadline still fires on time.
    let (read, write) = full_pipe();
    let port = free_port();
    let service = Raw::spawn(
        Service::command(
            "faults",
            &[
                ("PORT", &port.to_string()),
                ("FAULT", "hang-task"),
                ("SHUTDOWN_TIMEOUT", "500ms"),
            ],
        ),
        Stdio::from(write),
    );
    wait_for_port(port, START);
    std::thread::sleep(Duration::from_millis(100));
    service.signal(libc::SIGTERM);
    let (exit, waited, stderr) = service.wait(Duration::from_secs(10));
    assert_eq!(exit.code(), Some(1), "{exit:?} stderr:\n{stderr}");
    assert!(
        waited >= Duration::from_millis(450) && waited < Duration::from_millis(500 + 1000 + 500),
        "deadline 500ms + flush ≤ 1s, took {waited:?}"
    );
    drop(read);
}

/// FAULT=spam into a pipe nobody reads: the queue fills, further lines are dropped and counted;
/// once the pipe is read again, warnings say how many were lost — and the count must be exact:
/// it must equal the gaps in the spam's own sequence numbers. The spam logs tens of thousands
/// of lines a second, so the 16384-line queue fills within the first second.
#[test]
fn stdout_full_drops_lines_and_reports_how_many_once_read_again() {
    example("faults");
    let _quiet = quiet(); // the writer must outrun the pipe reader, not a cargo build
    let (mut read, write) = full_pipe();
    let port = free_port();
    let service = Raw::spawn(
        Service::command(
            "faults",
            &[
                ("PORT", &port.to_string()),
                ("FAULT", "spam"),
                ("LOG_FORMAT", "json"),
            ],
        ),
        Stdio::from(write),
    );
    wait_for_port(port, START);
    // Memory stays bounded while lines are dropped: the queue is full after the first second,
    // and from then on the resident size must stay flat while tens of thousands of lines a
    // second are logged into the full pipe.
    std::thread::sleep(Duration::from_secs(1));
    let full = resident_kib(service.child.id());
    std::thread::sleep(Duration::from_secs(2));
    let later = resident_kib(service.child.id());
    eprintln!("stdout full: resident {full} KiB after 1 s, {later} KiB after 3 s");
    assert!(
        later < full + 16 * 1024,
        "memory grows while stdout is full: {full} KiB, then {later} KiB"
    );
    assert_eq!(http_get(port, "/").unwrap().0, 200, "serves throughout");
    // Read again; give the writer time to catch up, then stop the service and read the rest.
    let reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = read.read_to_end(&mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    });
    std::thread::sleep(Duration::from_millis(1000));
    service.signal(libc::SIGTERM);
    let (exit, _, stderr) = service.wait(Duration::from_secs(10));
    assert_eq!(exit.code(), Some(0), "{exit:?} stderr:\n{stderr}");
    let text = reader.join().unwrap();
    let lines: Vec<serde_json::Value> = text
        .trim_start_matches('#')
        .lines()
        .map(|line| {
            serde_json::from_str(line).unwrap_or_else(|_| panic!("torn or non-JSON line {line:?}"))
        })
        .collect();
    let spam: Vec<u64> = lines.iter().filter_map(|json| json["n"].as_u64()).collect();
    let reported: u64 = lines
        .iter()
        .filter_map(|json| json["dropped"].as_u64())
        .sum();
    let missing: u64 = spam.windows(2).map(|w| w[1].saturating_sub(w[0] + 1)).sum();
    let last = spam.last().copied().unwrap_or(0);
    assert!(
        missing > 0,
        "nothing was dropped: {} spam lines written, last n = {last}; wait longer",
        spam.len()
    );
    assert_eq!(
        reported,
        missing,
        "the dropped-lines warnings must account for every line missing from the spam sequence \
         ({} lines written, last n = {last}, warnings: {:?})",
        spam.len(),
        lines
            .iter()
            .filter(|json| json["dropped"].is_u64())
            .collect::<Vec<_>>()
    );
    assert!(
        lines
            .iter()
            .any(|json| json["message"] == "shutdown complete"),
        "the last lines arrive once stdout is read"
    );
    eprintln!(
        "stdout full: {} spam lines written, {missing} dropped, {reported} reported dropped",
        spam.len()
    );
}

/// The resident size of process `pid`, in KiB (`VmRSS` in `/proc/<pid>/status`).
fn resident_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("/proc status");
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|kib| kib.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS")
}

// ---------------------------------------------------------------------------------------------
// Panics outside main.

#[test]
fn panicking_spawned_task_is_logged_and_service_keeps_serving() {
    let port = free_port();
    let service = Service::start(
        "faults",
        &[
            ("PORT", &port.to_string()),
            ("FAULT", "task-panic"),
            ("LOG_FORMAT", "json"),
        ],
    );
    service.wait_for_stdout("spawned task panics on purpose", START);
    for _ in 0..5 {
        assert_eq!(http_get(port, "/").unwrap(), (200, "ok\n".to_owned()));
    }
    service.kill("TERM");
    let exit = service.wait(Duration::from_secs(10));
    assert_eq!(exit.code(), Some(0), "{exit:?}");
    let panic: serde_json::Value = exit
        .stdout
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .find(|json| {
            json["panic"]
                .as_str()
                .is_some_and(|p| p.contains("spawned task panics on purpose"))
        })
        .unwrap_or_else(|| panic!("no panic event:\n{}", exit.stdout));
    assert_eq!(panic["level"], "ERROR", "{panic}");
    assert!(
        panic["location"]
            .as_str()
            .is_some_and(|l| l.contains("faults.rs")),
        "{panic}"
    );
    assert!(exit.stdout.contains("shutdown complete"));
    assert_eq!(exit.stderr, "", "the panic goes to the log, not stderr");
}

#[test]
fn panicking_request_handler_is_logged_and_service_keeps_serving() {
    let port = free_port();
    let service = Service::start("http", &[("PORT", &port.to_string())]);
    wait_for_port(port, START);
    // The handler's connection dies with it; the client sees no response.
    let answer = http_get(port, "/panic");
    assert!(!matches!(answer, Ok((200, _))), "{answer:?}");
    service.wait_for_stdout("the /panic route panics on purpose", START);
    for _ in 0..5 {
        assert_eq!(http_get(port, "/").unwrap().0, 200);
    }
    service.kill("TERM");
    let exit = service.wait(Duration::from_secs(10));
    assert_eq!(exit.code(), Some(0), "{exit:?}");
    let line = exit
        .stdout
        .lines()
        .find(|line| line.contains("the /panic route panics on purpose"))
        .unwrap();
    assert!(line.contains("ERROR"), "{line}");
    assert_eq!(exit.stderr, "");
}

// ---------------------------------------------------------------------------------------------
// Signals at awkward moments.

/// SIGTERM sent from immediately after exec to after the bind. The expansion blocks the shutdown
/// signals as its first action and unblocks them once the handlers exist, so from the moment
/// `main` starts a SIGTERM waits and then drains: exit 0. Before `main` (the dynamic loader and
/// std's start-up: about 1.5 ms after `spawn` returns for these debug builds) no code of ours
/// runs, and the kernel's default action ends the process by SIGTERM — as for any program, and
/// what the process manager asked for. Never a hang, never another code.
#[test]
fn sigterm_before_the_listener_is_bound_never_hangs() {
    example("faults");
    let _quiet = quiet(); // start-up is timed in milliseconds
    let mut outcomes = Vec::new();
    for delay_us in [
        0, 0, 0, 50, 100, 200, 300, 500, 700, 1000, 1500, 2000, 3000, 5000, 8000, 13000, 20000,
        40000,
    ] {
        let port = free_port();
        let mut command = Service::command("faults", &[("PORT", &port.to_string())]);
        command.stdout(Stdio::null());
        let service = Raw::spawn(command, Stdio::null());
        if delay_us > 0 {
            std::thread::sleep(Duration::from_micros(delay_us));
        }
        service.signal(libc::SIGTERM);
        let (status, waited, stderr) = service.wait(Duration::from_secs(10));
        match (status.code(), status.signal()) {
            (Some(0), _) => outcomes.push(format!("{delay_us}µs: exit 0")),
            (None, Some(libc::SIGTERM)) => {
                outcomes.push(format!("{delay_us}µs: killed by SIGTERM"))
            }
            _ => panic!("SIGTERM after {delay_us}µs: unexpected {status:?}, stderr:\n{stderr}"),
        }
        assert!(
            waited < Duration::from_secs(3),
            "SIGTERM after {delay_us}µs: exit took {waited:?}"
        );
        assert_eq!(stderr, "", "SIGTERM after {delay_us}µs");
    }
    eprintln!("outcomes: {outcomes:#?}");
    // Well after `main` has started, a signal must always drain normally (the handlers may not
    // be installed yet; the signal waits for them).
    for outcome in outcomes.iter().filter(|o| {
        o.split("µs")
            .next()
            .and_then(|us| us.parse::<u64>().ok())
            .is_some_and(|us| us >= 5000)
    }) {
        assert!(outcome.ends_with("exit 0"), "{outcomes:?}");
    }
}

#[test]
fn five_sigterms_during_a_drain_neither_cut_nor_extend_it() {
    let port = free_port();
    let service = Service::start("http", &[("PORT", &port.to_string())]);
    wait_for_port(port, START);
    let slow = std::thread::spawn(move || {
        let result = http_get(port, "/slow?ms=1200");
        (result, Instant::now())
    });
    std::thread::sleep(Duration::from_millis(150));
    for _ in 0..5 {
        service.kill("TERM");
        std::thread::sleep(Duration::from_millis(100));
    }
    // Refused while draining: the listener closed on the first SIGTERM.
    assert!(
        TcpStream::connect(("127.0.0.1", port)).is_err(),
        "listener still open during the drain"
    );
    let (result, answered) = slow.join().unwrap();
    assert_eq!(
        result.expect("completes"),
        (200, "slept 1200 ms\n".to_owned())
    );
    let exit = service.wait(Duration::from_secs(10));
    assert_eq!(exit.code(), Some(0), "{exit:?}");
    assert!(
        answered.elapsed() < Duration::from_millis(300),
        "exit came {:?} after the last response",
        answered.elapsed()
    );
    let shutting_down = exit
        .stdout
        .matches("received SIGTERM, shutting down")
        .count();
    let ignored = exit
        .stdout
        .matches("received SIGTERM while already shutting down; ignoring it")
        .count();
    assert_eq!((shutting_down, ignored), (1, 4), "{}", exit.stdout);
    assert!(exit.stdout.contains("shutdown complete"));
}

// ---------------------------------------------------------------------------------------------
// The deadline.

#[test]
fn hung_task_hits_the_deadline_and_says_how_many_were_running() {
    let port = free_port();
    let service = Service::start(
        "faults",
        &[
            ("PORT", &port.to_string()),
            ("FAULT", "hang-task"),
            ("SHUTDOWN_TIMEOUT", "500ms"),
            ("LOG_FORMAT", "json"),
        ],
    );
    wait_for_port(port, START);
    let signalled = Instant::now();
    service.kill("TERM");
    let exit = service.wait(Duration::from_secs(10));
    let took = signalled.elapsed();
    assert_eq!(exit.code(), Some(1), "{exit:?}");
    assert!(
        // At the deadline, not before; the task hangs forever, so the upper bound only leaves
        // room for a loaded machine.
        took >= Duration::from_millis(490) && took < Duration::from_secs(4),
        "deadline 500ms, exit after {took:?}"
    );
    let event: serde_json::Value = exit
        .stdout
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .find(|json| json["level"] == "ERROR")
        .unwrap_or_else(|| panic!("no error event:\n{}", exit.stdout));
    assert_eq!(event["tasks"], 1, "{event}");
    assert_eq!(event["main_running"], false, "{event}");
    let message = event["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("500ms") && message.contains("1 task(s) still running"),
        "{message}"
    );
    assert!(!exit.stdout.contains("shutdown complete"));
}

#[test]
fn hung_request_hits_the_deadline_and_exits_1() {
    // axum's graceful shutdown waits for the connection inside main: main is what is running.
    let port = free_port();
    let service = Service::start(
        "http",
        &[("PORT", &port.to_string()), ("SHUTDOWN_TIMEOUT", "500ms")],
    );
    wait_for_port(port, START);
    let hung = slow_request(port, 60_000);
    std::thread::sleep(Duration::from_millis(150));
    let signalled = Instant::now();
    service.kill("TERM");
    let exit = service.wait(Duration::from_secs(10));
    let took = signalled.elapsed();
    assert_eq!(exit.code(), Some(1), "{exit:?}");
    assert!(
        took >= Duration::from_millis(490) && took < Duration::from_millis(1500),
        "exit after {took:?}"
    );
    let line = exit
        .stdout
        .lines()
        .find(|line| line.contains("shutdown deadline of 500ms passed"))
        .unwrap_or_else(|| panic!("no deadline line:\n{}", exit.stdout));
    assert!(
        line.contains("ERROR") && line.contains("main still running"),
        "{line}"
    );
    assert!(
        hung.join().unwrap().is_err(),
        "the hung request gets no response"
    );
}

// ---------------------------------------------------------------------------------------------
// Drain under load.

/// 200 concurrent `/slow?ms=500` requests are in flight when SIGTERM arrives: all complete with
/// 200, the listener refuses new connections during the drain, and the process exits 0 as soon as
/// the last response is out, not at the 9 s deadline. (On an idle machine: about 1 ms after the
/// last response and 505 ms after the signal; the bounds leave room for a loaded CI machine and
/// still tell a prompt exit from the deadline.)
#[test]
fn drain_200_in_flight_requests() {
    const N: usize = 200;
    let port = free_port();
    let service = Service::start("http", &[("PORT", &port.to_string())]);
    wait_for_port(port, START);
    let sent = Arc::new(Barrier::new(N + 1));
    let clients: Vec<_> = (0..N)
        .map(|_| {
            let sent = sent.clone();
            std::thread::Builder::new()
                .stack_size(64 * 1024)
                .spawn(move || {
                    let request = TcpStream::connect(("127.0.0.1", port)).and_then(|mut stream| {
                        stream.set_read_timeout(Some(Duration::from_secs(10)))?;
                        stream.write_all(
                            b"GET /slow?ms=500 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                        )?;
                        Ok(stream)
                    });
                    sent.wait(); // also on failure, so the test never deadlocks
                    let result = request.and_then(|mut stream| {
                        let mut response = String::new();
                        stream.read_to_string(&mut response)?;
                        Ok(response)
                    });
                    (result, Instant::now())
                })
                .unwrap()
        })
        .collect();
    sent.wait(); // every request has been written
    std::thread::sleep(Duration::from_millis(100)); // and read by the server
    let signalled = Instant::now();
    service.kill("TERM");
    // New connections: refused once the listener closes, which happens while the drain runs.
    let mut refused_at = None;
    while signalled.elapsed() < Duration::from_millis(350) {
        match TcpStream::connect(("127.0.0.1", port)) {
            Err(error) if error.kind() == std::io::ErrorKind::ConnectionRefused => {
                refused_at = Some(signalled.elapsed());
                break;
            }
            _ => std::thread::sleep(Duration::from_millis(5)),
        }
    }
    let refused_at = refused_at.expect("new connections still accepted 350 ms into the drain");
    let mut last = signalled;
    let mut ok = 0;
    for client in clients {
        let (result, done) = client.join().unwrap();
        let response = result.expect("in-flight request failed");
        assert!(
            response.starts_with("HTTP/1.1 200 OK") && response.ends_with("slept 500 ms\n"),
            "{response:?}"
        );
        ok += 1;
        last = last.max(done);
    }
    assert_eq!(ok, N);
    let exit = service.wait(Duration::from_secs(10));
    let exited = Instant::now();
    assert_eq!(exit.code(), Some(0), "{exit:?}");
    eprintln!(
        "{N} in flight: refused {refused_at:?} after SIGTERM, last response {:?} after SIGTERM, \
         exit {:?} after the last response",
        last - signalled,
        exited.duration_since(last)
    );
    assert!(refused_at < last - signalled, "refused at {refused_at:?}");
    assert!(
        exited.duration_since(last) <= Duration::from_secs(2),
        "exit {:?} after the last response",
        exited.duration_since(last)
    );
    assert!(
        exited.duration_since(signalled) <= Duration::from_secs(4),
        "exit {:?} after SIGTERM",
        exited.duration_since(signalled)
    );
}

/// Steady keep-alive load from `wrk` across a SIGTERM: 10 connections, each with one
/// `/slow?ms=300` request after another, so every connection has a request in flight when the
/// signal arrives 1.65 s in (mid-request, not at a round boundary). Asserted:
///
/// - no read errors, no timeouts, no non-2xx responses: no in-flight request was cut;
/// - the completed count is a multiple of 10: every connection completed the request it had in
///   flight (a lost one would leave a remainder), and at least 6 rounds completed (the 6th was in
///   flight at the signal);
/// - the service exits 0.
///
/// After the drain, wrk keeps reconnecting and is refused. wrk connects non-blocking, so a refused
/// connection surfaces at its first write: those are its "write" errors, expected and not
/// counted as failures.
///
/// Residual race (HTTP/1.1 keep-alive itself, not the runtime): a connection idle at the instant
/// of the shutdown is closed, and a request sent in that same microsecond window is reset.
/// Requests of 300 ms keep each connection busy > 99.9 % of the time.
#[test]
#[ignore = "needs wrk"]
fn steady_wrk_load_across_sigterm_loses_no_request() {
    let port = free_port();
    let service = Service::start("http", &[("PORT", &port.to_string())]);
    wait_for_port(port, START);
    let url = format!("http://127.0.0.1:{port}/slow?ms=300");
    let started = Instant::now();
    let wrk = std::thread::spawn(move || {
        Command::new("wrk")
            .args(["-t2", "-c10", "-d3s", "--timeout", "3s", &url])
            .output()
            .expect("run wrk (installed by .ci/install-tools)")
    });
    std::thread::sleep(Duration::from_millis(1650).saturating_sub(started.elapsed()));
    service.kill("TERM");
    let exit = service.wait(Duration::from_secs(10));
    assert_eq!(exit.code(), Some(0), "{exit:?}");
    let output = wrk.join().unwrap();
    let report = String::from_utf8_lossy(&output.stdout);
    let requests = wrk_requests(&report);
    assert!(!report.contains("Non-2xx"), "non-2xx responses:\n{report}");
    let errors = |kind: &str| wrk_errors(&report, kind);
    assert_eq!(errors("read"), 0, "in-flight requests were cut:\n{report}");
    assert_eq!(errors("timeout"), 0, "requests timed out:\n{report}");
    eprintln!("wrk across SIGTERM: {requests} requests completed\n{report}");
    assert!(
        requests >= 60 && requests.is_multiple_of(10),
        "every connection must complete its in-flight request:\n{report}"
    );
}

/// The requests wrk completed ("  21509 requests in 1.00m, 3.04MB read").
fn wrk_requests(report: &str) -> u64 {
    report
        .lines()
        .find(|line| line.contains("requests in"))
        .and_then(|line| line.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no request count in:\n{report}"))
}

/// One count of wrk's "Socket errors" line (`connect`, `read`, `write`, `timeout`); 0 without
/// the line.
fn wrk_errors(report: &str, kind: &str) -> u64 {
    // "  Socket errors: connect 0, read 0, write 1234, timeout 0"
    report
        .lines()
        .find(|line| line.contains("Socket errors"))
        .and_then(|line| {
            line.split([':', ','])
                .map(str::trim)
                .find(|part| part.starts_with(kind))
                .and_then(|part| part.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

/// A soak: 60 s of wrk (20 connections, 50 ms requests, a new connection per request so that
/// HTTP/1.1's keep-alive race cannot hide or fake a cut) with SIGTERM at 30 s.
/// `SHUTDOWN_DELAY` keeps the service answering for 35 s after the signal, as behind a load
/// balancer that still sends traffic until it has seen `/readyz` fail, and stops before the
/// drain: wrk's 60 s end before the delay's 65 s. Asserted:
/// - no non-2xx answer, no read error (a reset) and no timeout: the 30 s of load after SIGTERM
///   are served like the 30 s before, and the drain cuts nothing; the process exits 0 after the
///   delay;
/// - the resident size stays flat over the first 30 s.
///
/// A client that keeps opening connections *through* the drain is another matter: when the
/// server closes its listener, the kernel resets the connections it had completed but the server
/// had not accepted yet (the accept backlog; 0 to 17 per run measured here with this load). No
/// server can answer those; a load balancer that follows `/readyz` sends none. In-flight
/// requests at the drain itself are `steady_wrk_load_across_sigterm_loses_no_request`.
#[test]
#[ignore = "needs wrk"]
fn soak_60s_of_wrk_with_sigterm_in_the_middle() {
    let port = free_port();
    let service = Service::start(
        "http",
        &[
            ("PORT", &port.to_string()),
            ("SHUTDOWN_DELAY", "35s"),
            ("SHUTDOWN_TIMEOUT", "10s"),
        ],
    );
    wait_for_port(port, START);
    let url = format!("http://127.0.0.1:{port}/slow?ms=50");
    let started = Instant::now();
    let wrk = std::thread::spawn(move || {
        Command::new("wrk")
            .args(["-t2", "-c20", "-d60s", "--timeout", "5s", "--latency"])
            .args(["-H", "Connection: close", &url])
            .output()
            .expect("run wrk (installed by .ci/install-tools)")
    });
    std::thread::sleep(Duration::from_secs(5).saturating_sub(started.elapsed()));
    let early = resident_kib(service.pid());
    std::thread::sleep(Duration::from_secs(30).saturating_sub(started.elapsed()));
    let before_signal = resident_kib(service.pid());
    service.kill("TERM");
    let exit = service.wait(Duration::from_secs(60));
    let exited = started.elapsed();
    assert_eq!(exit.code(), Some(0), "{exit:?}");
    let output = wrk.join().unwrap();
    let report = String::from_utf8_lossy(&output.stdout);
    let requests = wrk_requests(&report);
    eprintln!(
        "soak: {requests} requests, exit at {exited:?}, resident {early} KiB at 5 s, \
         {before_signal} KiB at 30 s\n{report}"
    );
    assert!(!report.contains("Non-2xx"), "non-2xx responses:\n{report}");
    assert_eq!(
        wrk_errors(&report, "read"),
        0,
        "requests were cut:\n{report}"
    );
    assert_eq!(
        wrk_errors(&report, "timeout"),
        0,
        "requests timed out:\n{report}"
    );
    // 20 connections of 50 ms requests for 60 s: well over 10,000 answers.
    assert!(requests > 10_000, "{report}");
    assert!(
        before_signal < early + 16 * 1024,
        "memory grows under steady load: {early} KiB, then {before_signal} KiB"
    );
    assert!(
        exited > Duration::from_secs(64),
        "the delay was cut short: {exited:?}"
    );
}
