//! Process-manager integration, proven against the real tools: systemd's notify protocol on a
//! real `AF_UNIX` datagram socket, socket activation with `systemd-socket-activate`, PID 1 in a
//! new PID namespace with `unshare`, `tini`, `dumb-init`, `honcho` with a Procfile,
//! `SHUTDOWN_DELAY`, journald's `JOURNAL_STREAM`, and the deploy recipes of `docs/deploy/`,
//! checked with `systemd-analyze verify`, hadolint and kubernetes-validate.
//!
//! Tests that need a tool outside the Rust toolchain are `#[ignore = "needs …"]`;
//! `.ci/install-tools` installs them and
//! `cargo test --test it process_manager:: -- --include-ignored` runs everything. The PID 1 tests
//! need root (a new PID namespace).
use crate::support::http::{free_port, get_in_background, http_get, wait_for_port};
use crate::support::notify::NotifySocket;
use crate::support::process::{clean_command, example, send_signal, with_own_listen_pid, Service};
use crate::support::temp::TempDir;
use crate::support::tool::require;
use std::net::{TcpListener, TcpStream};
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

/// Generous: the machine is shared and examples may be built on first use.
const LONG: Duration = Duration::from_secs(60);

// ---------------------------------------------------------------------------------------------
// helpers

/// Polls `condition` every 10 ms; false if it never held within `timeout`.
fn eventually(timeout: Duration, mut condition: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    loop {
        if condition() {
            return true;
        }
        if start.elapsed() > timeout {
            return false;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Nothing listens on 127.0.0.1:`port`, and the port can be bound (so no wildcard bind has it).
fn port_is_unused(port: u16) -> bool {
    TcpStream::connect(("127.0.0.1", port)).is_err() && TcpListener::bind(("0.0.0.0", port)).is_ok()
}

/// `(pid, state)` of every process whose parent is `parent`, from the host's `/proc`.
fn children_of(parent: u32) -> Vec<(u32, char)> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|pid| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            let mut fields = stat[stat.rfind(')')? + 1..].split_whitespace();
            let state = fields.next()?.chars().next()?;
            let ppid: u32 = fields.next()?.parse().ok()?;
            (ppid == parent).then_some((pid, state))
        })
        .collect()
}

/// The value of field `key` in `/proc/PID/status`.
fn status_field(pid: u32, key: &str) -> Option<String> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find_map(|line| {
        line.strip_prefix(key)?
            .strip_prefix(':')
            .map(|v| v.trim().to_owned())
    })
}

/// The example `pid1` as PID 1 of a new PID namespace (with its own `/proc`), on `port`.
/// Returns the `unshare` process and the host pid of the namespace's PID 1.
fn start_as_pid1(port: u16, init: &[&str]) -> (Service, u32) {
    require("unshare");
    let mut command = clean_command("unshare");
    command
        .args(["--pid", "--fork", "--mount-proc"])
        .args(init)
        .arg(example("pid1"))
        .env("PORT", port.to_string())
        .env("HOST", "127.0.0.1");
    let mut service = Service::spawn(command);
    let mut pid1 = None;
    let started = eventually(LONG, || {
        pid1 = children_of(service.pid()).first().map(|&(pid, _)| pid);
        pid1.is_some()
            || service
                .child
                .try_wait()
                .is_ok_and(|status| status.is_some())
    });
    assert!(started, "unshare started no child");
    match pid1 {
        Some(pid1) => (service, pid1),
        None => {
            let exit = service.wait(LONG);
            panic!("unshare --pid --fork failed (root needed): {exit:?}")
        }
    }
}

// ---------------------------------------------------------------------------------------------
// systemd notify protocol

#[test]
fn notify_ready_only_once_listening_then_stopping_after_sigterm() {
    let notify = NotifySocket::path();
    let port = free_port();
    let service = Service::start(
        "http",
        &[
            ("PORT", &port.to_string()),
            ("HOST", "127.0.0.1"),
            ("NOTIFY_SOCKET", &notify.env),
        ],
    );
    let (_, ready, skipped) = notify.expect("READY=1", LONG);
    assert!(skipped.is_empty(), "messages before READY=1: {skipped:?}");
    // The listener is bound and listening when READY=1 is sent: one attempt must connect.
    TcpStream::connect(("127.0.0.1", port)).expect("port accepts connections once READY=1 arrives");
    assert!(
        ready
            .lines()
            .any(|line| line == format!("STATUS=listening on 127.0.0.1:{port}")),
        "READY=1 without the STATUS line: {ready:?}"
    );
    assert_eq!(http_get(port, "/").unwrap().0, 200);
    // Nothing else (no second READY=1, no watchdog without WATCHDOG_USEC) while it runs.
    let extra = notify.collect(Duration::from_millis(300));
    assert!(extra.is_empty(), "unexpected messages: {extra:?}");

    service.kill("TERM");
    let (_, stopping, skipped) = notify.expect("STOPPING=1", LONG);
    assert!(
        skipped.is_empty(),
        "messages before STOPPING=1: {skipped:?}"
    );
    // 9 s default SHUTDOWN_TIMEOUT + 0 delay + 1 s.
    assert!(
        stopping
            .lines()
            .any(|line| line == "EXTEND_TIMEOUT_USEC=10000000"),
        "STOPPING=1 without EXTEND_TIMEOUT_USEC: {stopping:?}"
    );
    let exit = service.wait(LONG);
    assert_eq!(exit.code(), Some(0), "{exit:?}");
}

#[test]
fn notify_abstract_socket() {
    let notify = NotifySocket::abstract_name();
    assert!(notify.env.starts_with('@'));
    let port = free_port();
    let service = Service::start(
        "http",
        &[
            ("PORT", &port.to_string()),
            ("HOST", "127.0.0.1"),
            ("NOTIFY_SOCKET", &notify.env),
        ],
    );
    let (_, ready, _) = notify.expect("READY=1", LONG);
    assert!(ready.contains("STATUS=listening on"), "{ready:?}");
    TcpStream::connect(("127.0.0.1", port)).expect("listening once READY=1 arrives");
    service.kill("TERM");
    notify.expect("STOPPING=1", LONG);
    assert_eq!(service.wait(LONG).code(), Some(0));
}

#[test]
fn worker_sends_ready_on_app_ready() {
    let notify = NotifySocket::path();
    let service = Service::start("hello", &[("NOTIFY_SOCKET", &notify.env)]);
    let (_, ready, skipped) = notify.expect("READY=1", LONG);
    assert!(skipped.is_empty(), "{skipped:?}");
    assert_eq!(ready, "READY=1\nSTATUS=ready");
    service.wait_for_stdout("waiting for a shutdown signal", LONG);
    service.kill("TERM");
    let (_, stopping, _) = notify.expect("STOPPING=1", LONG);
    assert!(stopping.contains("STATUS=shutting down"), "{stopping:?}");
    let exit = service.wait(LONG);
    assert_eq!(exit.code(), Some(0), "{exit:?}");
    assert!(exit.stdout.contains("goodbye"), "{exit:?}");
}

/// A `main` without `App` is ready at once and cancelled by the shutdown.
#[test]
fn main_without_app_is_ready_at_start_and_cancelled_by_sigterm() {
    let notify = NotifySocket::path();
    let service = Service::start("minimal", &[("NOTIFY_SOCKET", &notify.env)]);
    let (_, ready, skipped) = notify.expect("READY=1", LONG);
    assert!(skipped.is_empty(), "{skipped:?}");
    assert_eq!(ready, "READY=1\nSTATUS=ready");
    service.wait_for_stdout("still alive beats=1", LONG);
    service.kill("TERM");
    notify.expect("STOPPING=1", LONG);
    let exit = service.wait(LONG);
    assert_eq!(exit.code(), Some(0), "{exit:?}");
    assert!(
        exit.waited < Duration::from_secs(2),
        "the endless main was not cancelled: {:?}",
        exit.waited
    );
    assert!(exit.stdout.contains("shutdown complete"), "{}", exit.stdout);
}

/// `WATCHDOG=1` timestamps from a service started with `WATCHDOG_USEC=400000` and
/// `WATCHDOG_PID` unset, set to the service's own pid (`"self"`) or to `pid`, over `window`
/// after READY=1.
fn watchdog_pings(watchdog_pid: Option<&str>, window: Duration) -> Vec<Instant> {
    let notify = NotifySocket::path();
    let port = free_port();
    // `$$` is the shell's pid, which `exec` hands on to the service.
    let script = match watchdog_pid {
        None => "exec \"$0\"".to_owned(),
        Some("self") => "WATCHDOG_PID=$$ exec \"$0\"".to_owned(),
        Some(pid) => format!("WATCHDOG_PID={pid} exec \"$0\""),
    };
    let mut command = clean_command("sh");
    command
        .args(["-c", &script])
        .arg(example("http"))
        .env("PORT", port.to_string())
        .env("HOST", "127.0.0.1")
        .env("NOTIFY_SOCKET", &notify.env)
        .env("WATCHDOG_USEC", "400000");
    let service = Service::spawn(command);
    let (ready_at, _, _) = notify.expect("READY=1", LONG);
    let mut pings: Vec<Instant> = notify
        .collect(window)
        .into_iter()
        .filter(|(_, message)| message == "WATCHDOG=1")
        .map(|(at, _)| at)
        .collect();
    pings.retain(|&at| at >= ready_at);
    service.kill("TERM");
    assert_eq!(service.wait(LONG).code(), Some(0));
    pings
}

fn check_interval(pings: &[Instant], window: Duration) {
    let gaps: Vec<Duration> = pings.windows(2).map(|pair| pair[1] - pair[0]).collect();
    let mut sorted = gaps.clone();
    sorted.sort();
    let median = sorted[sorted.len() / 2];
    let max = *sorted.last().unwrap();
    eprintln!(
        "watchdog: {} pings in {window:?}; median gap {median:?}, max gap {max:?}",
        pings.len()
    );
    // Half of 400 ms, as sd_watchdog_enabled(3) advises.
    assert!(
        (Duration::from_millis(150)..=Duration::from_millis(300)).contains(&median),
        "median WATCHDOG=1 interval {median:?}, expected about 200 ms; gaps {gaps:?}"
    );
    // Never as late as the 400 ms after which systemd would kill the service.
    assert!(
        max < Duration::from_millis(400),
        "a gap of {max:?}; gaps {gaps:?}"
    );
    let expected = window.as_millis() / 200;
    assert!(
        (expected as usize * 2 / 3..=expected as usize * 3 / 2).contains(&pings.len()),
        "{} pings in {window:?}, expected about {expected}",
        pings.len()
    );
}

#[test]
fn watchdog_pings_at_half_the_interval() {
    let window = Duration::from_millis(2400);
    check_interval(&watchdog_pings(None, window), window);
}

#[test]
fn watchdog_pings_when_watchdog_pid_is_ours() {
    let window = Duration::from_millis(1600);
    check_interval(&watchdog_pings(Some("self"), window), window);
}

#[test]
fn no_watchdog_when_watchdog_pid_names_another_process() {
    // Eight pings would arrive in this window if the interval were for us.
    let pings = watchdog_pings(Some("1"), Duration::from_millis(1600));
    assert!(
        pings.is_empty(),
        "{} WATCHDOG=1 for another process's watchdog",
        pings.len()
    );
}

#[test]
fn without_notify_socket_nothing_is_sent_and_nothing_breaks() {
    // A socket that is not passed must hear nothing; the service behaves as usual.
    let unused = NotifySocket::path();
    let port = free_port();
    let service = Service::start(
        "http",
        &[("PORT", &port.to_string()), ("HOST", "127.0.0.1")],
    );
    wait_for_port(port, LONG);
    assert_eq!(http_get(port, "/").unwrap().0, 200);
    service.kill("TERM");
    let exit = service.wait(LONG);
    assert_eq!(exit.code(), Some(0), "{exit:?}");
    assert!(unused.collect(Duration::from_millis(100)).is_empty());
    assert!(
        !exit.stdout.to_lowercase().contains("notify"),
        "{}",
        exit.stdout
    );
    assert!(exit.stderr.is_empty(), "{}", exit.stderr);

    // A manager that went away (the socket file is gone) must not stop the service either.
    let dir = TempDir::new("gone");
    let gone = dir.0.join("gone.sock");
    let port = free_port();
    let service = Service::start(
        "http",
        &[
            ("PORT", &port.to_string()),
            ("HOST", "127.0.0.1"),
            ("NOTIFY_SOCKET", gone.to_str().unwrap()),
            ("WATCHDOG_USEC", "100000"),
        ],
    );
    wait_for_port(port, LONG);
    assert_eq!(http_get(port, "/").unwrap().0, 200);
    service.kill("TERM");
    let exit = service.wait(LONG);
    assert_eq!(exit.code(), Some(0), "{exit:?}");
}

// ---------------------------------------------------------------------------------------------
// socket activation

#[test]
#[ignore = "needs systemd-socket-activate"]
fn socket_activation_serves_the_inherited_socket_not_port() {
    require("systemd-socket-activate");
    let notify = NotifySocket::path();
    let (passed, port) = (free_port(), free_port());
    let mut command = clean_command("systemd-socket-activate");
    // systemd-socket-activate passes only -E variables (and PATH, HOME, TERM) to the service.
    command
        .args(["-l", &format!("127.0.0.1:{passed}")])
        .args(["-E", &format!("PORT={port}"), "-E", "HOST=127.0.0.1"])
        .args(["-E", &format!("NOTIFY_SOCKET={}", notify.env)])
        .arg(example("pid1"));
    let service = Service::spawn(command);
    // The first connection makes systemd-socket-activate exec the service (same pid), which
    // accepts it from the inherited socket.
    wait_for_port(passed, LONG);
    let (status, body) = http_get(passed, "/").expect("GET on the passed socket");
    assert_eq!(
        (status, body.as_str()),
        (200, format!("pid {}\n", service.pid()).as_str())
    );
    service.wait_for_stdout("listening on the socket systemd passed", LONG);
    assert!(
        service
            .stdout()
            .contains(&format!("addr=127.0.0.1:{passed}")),
        "{}",
        service.stdout()
    );
    let (_, ready, _) = notify.expect("READY=1", LONG);
    assert!(
        ready.contains(&format!("STATUS=listening on 127.0.0.1:{passed}")),
        "{ready:?}"
    );
    assert!(
        port_is_unused(port),
        "PORT={port} was bound although systemd passed a socket"
    );
    let slow = get_in_background(passed, "/slow?ms=800");
    service.wait_for_stdout("slow request started", LONG);
    service.kill("TERM");
    let exit = service.wait(LONG);
    assert_eq!(exit.code(), Some(0), "{exit:?}");
    assert_eq!(
        slow.join().unwrap().unwrap().0,
        200,
        "in-flight request on the passed socket"
    );
}

/// Runs the `sockets` example under `systemd-socket-activate` with two passed sockets named
/// `names` (on fresh ports, returned in the same order) and `PORT` set to a third port.
fn activate_sockets_example(names: [&str; 2]) -> (Service, [u16; 2], u16) {
    require("systemd-socket-activate");
    let ports = [free_port(), free_port()];
    let port = free_port();
    let mut command = clean_command("systemd-socket-activate");
    for passed in ports {
        command.args(["-l", &format!("127.0.0.1:{passed}")]);
    }
    command
        .arg(format!("--fdname={}", names.join(":")))
        .args(["-E", &format!("PORT={port}")])
        .arg(example("sockets"));
    (Service::spawn(command), ports, port)
}

#[test]
#[ignore = "needs systemd-socket-activate"]
fn socket_activation_respects_listen_fdnames() {
    // Named in the opposite order from the one the example asks for them in.
    let (service, [metrics, http], port) = activate_sockets_example(["metrics", "http"]);
    wait_for_port(http, LONG);
    assert_eq!(http_get(http, "/").unwrap(), (200, "http\n".to_owned()));
    assert_eq!(
        http_get(metrics, "/").unwrap(),
        (200, "metrics\n".to_owned())
    );
    assert!(
        port_is_unused(port),
        "PORT={port} bound although systemd passed sockets"
    );
    service.kill("TERM");
    let exit = service.wait(LONG);
    assert_eq!(exit.code(), Some(0), "{exit:?}");
    assert!(
        !exit.stdout.contains("no metrics socket"),
        "{}",
        exit.stdout
    );
}

/// With socket activation, a name systemd did not pass is an error naming it — never a fallback
/// bind of `HOST:PORT` next to the passed sockets.
#[test]
#[ignore = "needs systemd-socket-activate"]
fn socket_activation_missing_name_is_an_error_not_a_bind() {
    let (service, [http, _admin], port) = activate_sockets_example(["http", "admin"]);
    wait_for_port(http, LONG);
    assert_eq!(http_get(http, "/").unwrap(), (200, "http\n".to_owned()));
    service.wait_for_stdout("no metrics socket", LONG);
    assert!(
        port_is_unused(port),
        "PORT={port} bound for a socket name systemd did not pass"
    );
    service.kill("TERM");
    let exit = service.wait(LONG);
    assert_eq!(exit.code(), Some(0), "{exit:?}");
    assert!(
        exit.stdout
            .contains(r#"systemd passed no socket named "metrics" (LISTEN_FDNAMES)"#),
        "{}",
        exit.stdout
    );
}

#[test]
#[ignore = "needs systemd-socket-activate"]
fn socket_activation_rejects_a_unix_socket_clearly() {
    require("systemd-socket-activate");
    let dir = TempDir::new("unix-activation");
    let path = dir.0.join("service.sock");
    let port = free_port();
    let mut command = clean_command("systemd-socket-activate");
    command
        .arg("-l")
        .arg(&path)
        .args(["-E", &format!("PORT={port}")])
        .arg(example("pid1"));
    let service = Service::spawn(command);
    // The first connection starts the service, which must not pretend to serve it.
    assert!(
        eventually(LONG, || std::os::unix::net::UnixStream::connect(&path)
            .is_ok()),
        "no socket at {path:?}"
    );
    let exit = service.wait(LONG);
    assert_eq!(exit.code(), Some(1), "{exit:?}");
    assert!(
        exit.stdout
            .contains("is an AF_UNIX SOCK_STREAM socket, not a listening TCP socket"),
        "{}",
        exit.stdout
    );
    assert!(
        !exit.stdout.contains("listening on the socket"),
        "{}",
        exit.stdout
    );
    assert!(port_is_unused(port));
}

/// Runs the http example through `sh -c 'LISTEN_PID=$$ exec …'` (so `LISTEN_PID` is its own
/// pid) with `env`, expecting exit 78 with exactly one stderr line that contains `needles`.
fn expect_config_error(listen_pid_is_self: bool, env: &[(&str, &str)], needles: &[&str]) {
    let port = free_port();
    let mut command = if listen_pid_is_self {
        with_own_listen_pid(example("http"))
    } else {
        clean_command(example("http"))
    };
    command
        .env("PORT", port.to_string())
        .env("HOST", "127.0.0.1")
        .envs(env.iter().copied());
    let exit = Service::spawn(command).wait(LONG);
    assert_eq!(exit.code(), Some(78), "{env:?}: {exit:?}");
    assert_eq!(
        exit.stderr.lines().count(),
        1,
        "{env:?}: stderr {:?}",
        exit.stderr
    );
    for needle in needles {
        assert!(
            exit.stderr.contains(needle),
            "{env:?}: {needle:?} not in {:?}",
            exit.stderr
        );
    }
    assert!(exit.stdout.is_empty(), "{env:?}: logged {:?}", exit.stdout);
    assert!(port_is_unused(port), "{env:?}: bound PORT before failing");
}

#[test]
fn malformed_socket_activation_exits_78_with_one_line() {
    expect_config_error(
        false,
        &[("LISTEN_PID", "1"), ("LISTEN_FDS", "two")],
        &["LISTEN_FDS", "\"two\""],
    );
    expect_config_error(
        false,
        &[("LISTEN_PID", "me"), ("LISTEN_FDS", "1")],
        &["LISTEN_PID", "\"me\""],
    );
    expect_config_error(true, &[("LISTEN_FDS", "-1")], &["LISTEN_FDS"]);
    // Our pid, but no socket at fd 3 and 4.
    expect_config_error(
        true,
        &[("LISTEN_FDS", "2")],
        &["LISTEN_FDS", "fd 3 is not an open socket"],
    );
    expect_config_error(
        true,
        &[("LISTEN_FDS", "1"), ("LISTEN_FDNAMES", "http:metrics")],
        &["LISTEN_FDNAMES", "expected 1 colon-separated names"],
    );
}

// ---------------------------------------------------------------------------------------------
// PID 1

#[test]
#[ignore = "needs unshare and root"]
fn pid1_sigterm_drains_and_exits_0() {
    let port = free_port();
    let (service, pid1) = start_as_pid1(port, &[]);
    wait_for_port(port, LONG);
    assert_eq!(http_get(port, "/").unwrap(), (200, "pid 1\n".to_owned()));
    // Handlers are installed: as PID 1 the kernel drops signals that have none.
    let caught = status_field(pid1, "SigCgt").expect("SigCgt");
    let caught = u64::from_str_radix(&caught, 16).unwrap();
    assert_ne!(caught & (1 << (libc::SIGTERM - 1)), 0, "SIGTERM not caught");

    let slow = get_in_background(port, "/slow?ms=1500");
    service.wait_for_stdout("slow request started", LONG);
    // util-linux unshare --fork ignores SIGTERM and does not forward it, so the signal goes to
    // the namespace's PID 1 by its host pid, as `docker stop` signals a container's PID 1.
    let sent = Instant::now();
    send_signal(pid1, "TERM");
    let exit = service.wait(LONG);
    assert_eq!(exit.code(), Some(0), "{exit:?}");
    assert!(
        sent.elapsed() >= Duration::from_millis(700),
        "exited before the drain"
    );
    assert_eq!(
        slow.join().unwrap().unwrap(),
        (200, "slept 1500 ms\n".to_owned())
    );
    assert!(exit.stdout.contains("received SIGTERM"), "{}", exit.stdout);
    assert!(exit.stdout.contains("shutdown complete"), "{}", exit.stdout);
}

#[test]
#[ignore = "needs unshare and root"]
fn pid1_reaps_orphaned_grandchildren() {
    let port = free_port();
    let (service, pid1) = start_as_pid1(port, &[]);
    wait_for_port(port, LONG);
    assert_eq!(http_get(port, "/").unwrap().1, "pid 1\n");
    for round in 1..=2 {
        // 50 `sleep 0.1`s whose parents exit at once: they are re-parented to PID 1.
        assert_eq!(http_get(port, "/orphans?n=50").unwrap().1, "exit 0\n");
        let made = Instant::now();
        let mut most_zombies = 0;
        let mut most_orphans = 0;
        let mut zero_at = None;
        while made.elapsed() < Duration::from_secs(10) {
            let children = children_of(pid1);
            let zombies = children.iter().filter(|(_, state)| *state == 'Z').count();
            most_zombies = most_zombies.max(zombies);
            most_orphans = most_orphans.max(children.len());
            if children.is_empty() {
                zero_at = Some(made.elapsed());
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        eprintln!(
            "round {round}: up to {most_orphans} orphans, up to {most_zombies} zombies of PID 1; none left after {zero_at:?}"
        );
        // They did become PID 1's children and zombies (the test can see what it must fix)…
        assert!(most_orphans >= 40, "only {most_orphans} orphans seen");
        assert!(most_zombies >= 1, "no zombie ever seen");
        // …and a second later none is left (0.1 s sleep + 0.5 s grace + a 125 ms pass).
        let zero_at = zero_at.expect("zombies left 10 s after the orphans were made");
        assert!(
            zero_at <= Duration::from_millis(1500),
            "zombies reaped only after {zero_at:?}"
        );
        // The namespace's own view agrees.
        assert_eq!(http_get(port, "/zombies").unwrap().1, "0\n");
    }
    send_signal(pid1, "TERM");
    let exit = service.wait(LONG);
    assert_eq!(exit.code(), Some(0), "{exit:?}");
}

#[test]
#[ignore = "needs unshare and root"]
fn pid1_user_children_keep_their_exit_codes() {
    let port = free_port();
    let (service, pid1) = start_as_pid1(port, &[]);
    wait_for_port(port, LONG);
    assert_eq!(http_get(port, "/").unwrap().1, "pid 1\n");
    // Keep the reaper busy with orphans the whole time.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let orphan_maker = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut rounds = 0;
            while !stop.load(Ordering::Relaxed) {
                assert_eq!(http_get(port, "/orphans?n=20").unwrap().1, "exit 0\n");
                rounds += 1;
                std::thread::sleep(Duration::from_millis(50));
            }
            rounds
        })
    };
    let cases: &[(&str, u32)] = &[
        ("/status?code=7", 5),
        ("/status?code=7&ms=300", 3),
        // Outlives the reaper's 500 ms grace: the grace counts from the exit, not the spawn.
        ("/status?code=7&ms=800", 2),
        ("/tokio-status?code=7", 3),
        ("/tokio-status?code=7&ms=300", 3),
        ("/status?code=0&ms=100", 2),
    ];
    let mut runs = 0;
    for (path, times) in cases {
        for _ in 0..*times {
            let expected = if path.contains("code=0") {
                "exit 0\n"
            } else {
                "exit 7\n"
            };
            assert_eq!(
                http_get(port, path).unwrap(),
                (200, expected.to_owned()),
                "{path}"
            );
            runs += 1;
        }
    }
    stop.store(true, Ordering::Relaxed);
    let rounds = orphan_maker.join().expect("orphan maker");
    eprintln!("{runs} waited-on children kept their exit codes during {rounds} orphan rounds");
    assert!(
        rounds >= 2,
        "the reaper was not exercised ({rounds} rounds)"
    );
    assert!(
        eventually(Duration::from_secs(5), || children_of(pid1).is_empty()),
        "children left: {:?}",
        children_of(pid1)
    );
    send_signal(pid1, "TERM");
    assert_eq!(service.wait(LONG).code(), Some(0));
}

// ---------------------------------------------------------------------------------------------
// init wrappers and Procfile runners

/// Under `init` (e.g. `tini --`) as PID 1 of a new namespace, SIGTERM to the init drains an
/// in-flight request and everything exits 0.
fn drains_under_init(init: &[&str]) {
    let port = free_port();
    let (service, init_pid) = start_as_pid1(port, init);
    wait_for_port(port, LONG);
    // The service is the init's child, not PID 1 itself.
    let body = http_get(port, "/").unwrap().1;
    assert_ne!(body, "pid 1\n", "{init:?} did not stay PID 1");
    let slow = get_in_background(port, "/slow?ms=1000");
    service.wait_for_stdout("slow request started", LONG);
    send_signal(init_pid, "TERM");
    let exit = service.wait(LONG);
    assert_eq!(exit.code(), Some(0), "{init:?}: {exit:?}");
    assert_eq!(
        slow.join().unwrap().unwrap(),
        (200, "slept 1000 ms\n".to_owned())
    );
    assert!(exit.stdout.contains("received SIGTERM"), "{}", exit.stdout);
    assert!(exit.stdout.contains("shutdown complete"), "{}", exit.stdout);
}

#[test]
#[ignore = "needs tini, unshare and root"]
fn tini_forwards_sigterm_and_the_service_drains() {
    require("tini");
    drains_under_init(&["tini", "--"]);
}

#[test]
#[ignore = "needs dumb-init, unshare and root"]
fn dumb_init_forwards_sigterm_and_the_service_drains() {
    require("dumb-init");
    drains_under_init(&["dumb-init"]);
}

#[test]
#[ignore = "needs honcho"]
fn honcho_procfile_port_logs_and_drain() {
    require("honcho");
    let dir = TempDir::new("honcho");
    std::fs::write(
        dir.0.join("Procfile"),
        format!("web: exec {}\n", example("pid1").display()),
    )
    .unwrap();
    let port = free_port();
    let mut command = clean_command("honcho");
    command
        .args(["start", "--no-colour", "-p", &port.to_string()])
        .current_dir(&dir.0)
        .env("PYTHONUNBUFFERED", "1");
    let honcho = Service::spawn(command);
    // honcho's PORT (from -p) is the one the service listens on.
    wait_for_port(port, LONG);
    honcho.wait_for_stdout(&format!("listening addr=0.0.0.0:{port}"), LONG);
    assert_eq!(http_get(port, "/").unwrap().0, 200);
    // Log lines go through honcho, prefixed with the process name.
    assert!(
        honcho
            .stdout()
            .lines()
            .any(|line| line.contains("web.1") && line.contains("INFO")),
        "{}",
        honcho.stdout()
    );
    let slow = get_in_background(port, "/slow?ms=1200");
    honcho.wait_for_stdout("slow request started", LONG);
    honcho.kill("TERM");
    let exit = honcho.wait(LONG);
    assert_eq!(
        slow.join().unwrap().unwrap(),
        (200, "slept 1200 ms\n".to_owned())
    );
    for line in [
        "SIGTERM received",
        "received SIGTERM",
        "shutdown complete",
        "web.1 stopped (rc=0)",
    ] {
        assert!(
            exit.stdout.contains(line),
            "{line:?} not in honcho's output:\n{}",
            exit.stdout
        );
    }
    // honcho itself exits 128 + SIGTERM after a SIGTERM, whatever its processes returned.
    assert_eq!(exit.code(), Some(143), "{exit:?}");
}

// ---------------------------------------------------------------------------------------------
// SHUTDOWN_DELAY

#[test]
fn shutdown_delay_keeps_serving_new_requests_then_drains() {
    let notify = NotifySocket::path();
    let port = free_port();
    let service = Service::start(
        "pid1",
        &[
            ("PORT", &port.to_string()),
            ("HOST", "127.0.0.1"),
            ("NOTIFY_SOCKET", &notify.env),
            ("SHUTDOWN_DELAY", "1500ms"),
            ("SHUTDOWN_TIMEOUT", "5s"),
        ],
    );
    notify.expect("READY=1", LONG);
    service.kill("TERM");
    let sent = Instant::now();
    let (_, stopping, _) = notify.expect("STOPPING=1", LONG);
    // 1.5 s delay + 5 s timeout + 1 s.
    assert!(
        stopping.contains("EXTEND_TIMEOUT_USEC=7500000"),
        "{stopping:?}"
    );
    // New connections and requests are still served during the delay.
    let mut served = 0;
    while sent.elapsed() < Duration::from_millis(1100) {
        let (status, body) = http_get(port, "/").expect("request during SHUTDOWN_DELAY");
        assert_eq!(status, 200, "{body}");
        served += 1;
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(
        served >= 5,
        "only {served} requests served during the delay"
    );
    // Then the drain: the listener closes and the process exits 0, not before the delay.
    let exit = service.wait(LONG);
    let total = sent.elapsed();
    assert_eq!(exit.code(), Some(0), "{exit:?}");
    assert!(
        total >= Duration::from_millis(1500),
        "exited {total:?} after SIGTERM"
    );
    assert!(
        exit.stdout.contains("still serving for SHUTDOWN_DELAY"),
        "{}",
        exit.stdout
    );
    assert!(TcpStream::connect(("127.0.0.1", port)).is_err());
    eprintln!(
        "SHUTDOWN_DELAY=1500ms: {served} requests served after SIGTERM; exit after {total:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// journald

/// Runs the hello example with stdout redirected to a file and `JOURNAL_STREAM` computed by
/// `journal_stream` from that file's (device, inode); returns the log lines.
fn hello_logs(journal_stream: impl FnOnce(u64, u64) -> String) -> Vec<String> {
    let dir = TempDir::new("journal");
    let path = dir.0.join("stdout");
    let file = std::fs::File::create(&path).unwrap();
    let metadata = file.metadata().unwrap();
    let value = journal_stream(metadata.dev(), metadata.ino());
    let mut child = Service::command("hello", &[("JOURNAL_STREAM", &value)])
        .stdin(Stdio::null())
        .stdout(file)
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn hello");
    let read = |path: &Path| std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        eventually(LONG, || read(&path)
            .contains("waiting for a shutdown signal")),
        "no log line: {:?}",
        read(&path)
    );
    send_signal(child.id(), "TERM");
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
    read(&path).lines().map(str::to_owned).collect()
}

fn starts_with_timestamp(line: &str) -> bool {
    // 2026-11-27T07:14:04.347131Z
    let bytes = line.as_bytes();
    bytes.len() > 20
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes[4] == b'-'
        && bytes[10] == b'T'
}

#[test]
fn journald_stream_drops_timestamps() {
    let lines = hello_logs(|dev, ino| format!("{dev}:{ino}"));
    assert!(lines.len() >= 3, "{lines:?}");
    for line in &lines {
        assert!(
            !starts_with_timestamp(line),
            "timestamp under journald: {line:?}"
        );
        assert!(line.trim_start().starts_with("INFO"), "{line:?}");
    }
}

#[test]
fn journal_stream_for_another_stream_keeps_timestamps() {
    let lines = hello_logs(|dev, ino| format!("{dev}:{}", ino + 1));
    assert!(lines.len() >= 3, "{lines:?}");
    for line in &lines {
        assert!(starts_with_timestamp(line), "no timestamp: {line:?}");
    }
    let lines = hello_logs(|_, _| "garbage".to_owned());
    assert!(
        lines.iter().all(|line| starts_with_timestamp(line)),
        "{lines:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// the deploy recipes

/// The fenced blocks of the deploy recipes (`docs/deploy/*.md`) whose first line is `# <path>`:
/// (path, contents).
fn deploy_files() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/deploy");
    let mut recipes: Vec<_> = std::fs::read_dir(&dir)
        .expect("docs/deploy")
        .map(|entry| entry.expect("docs/deploy entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    recipes.sort();
    let mut files = Vec::new();
    for recipe in recipes {
        let text = std::fs::read_to_string(&recipe).expect("a deploy recipe");
        files.extend(fenced_files(&text));
    }
    files
}

/// The fenced blocks of `text` whose first line is `# <path>`: (path, contents).
fn fenced_files(text: &str) -> Vec<(String, String)> {
    let mut files = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if !line.starts_with("```") {
            continue;
        }
        let block: Vec<&str> = lines
            .by_ref()
            .take_while(|line| !line.starts_with("```"))
            .collect();
        if let Some(path) = block.first().and_then(|first| first.strip_prefix("# ")) {
            // A file name or path, not a comment sentence.
            if !path.trim().contains(char::is_whitespace) {
                files.push((path.trim().to_owned(), block.join("\n") + "\n"));
            }
        }
    }
    files
}

#[test]
fn deploy_recipes_say_what_the_contract_needs() {
    let files = deploy_files();
    let find = |suffix: &str| {
        files
            .iter()
            .find(|(path, _)| path.ends_with(suffix))
            .map(|(_, text)| text.as_str())
            .unwrap_or_else(|| panic!("no {suffix} block in docs/deploy/: {files:?}"))
    };
    let service = find(".service");
    for line in [
        "Type=notify",
        "Restart=always",
        "RestartPreventExitStatus=78",
    ] {
        assert!(
            service.lines().any(|l| l == line),
            "{line} missing from the service unit"
        );
    }
    assert!(
        !service
            .lines()
            .any(|line| line.trim_start().starts_with("PIDFile=")),
        "a PIDFile= in the service unit"
    );
    let socket = find(".socket");
    assert!(socket.contains("ListenStream="), "{socket}");
    let dockerfile = find("Dockerfile");
    let cmd = dockerfile
        .lines()
        .find(|l| l.starts_with("CMD"))
        .expect("CMD in the Dockerfile");
    assert!(cmd.starts_with("CMD [\""), "not exec-form: {cmd}");
    let procfile = find("Procfile");
    assert!(
        procfile.lines().any(|l| l.starts_with("web: exec ")),
        "{procfile}"
    );
    // terminationGracePeriodSeconds > SHUTDOWN_DELAY + SHUTDOWN_TIMEOUT.
    let kube = find("deployment.yaml");
    let number_after = |key: &str| -> f64 {
        let mut lines = kube
            .lines()
            .skip_while(|line| !line.contains(key) || line.trim_start().starts_with('#'));
        let line = lines
            .next()
            .unwrap_or_else(|| panic!("no {key} in deployment.yaml"));
        let value = if line.contains("name:") {
            // An env entry: `- name: KEY` then `value: "5s"`.
            lines
                .next()
                .and_then(|line| line.trim().strip_prefix("value:"))
        } else {
            line.split_once(':').map(|(_, value)| value)
        };
        let value = value
            .unwrap_or_else(|| panic!("no value for {key}"))
            .trim()
            .trim_matches('"');
        value
            .trim_end_matches('s')
            .parse()
            .unwrap_or_else(|_| panic!("{key}: {value:?}"))
    };
    let grace = number_after("terminationGracePeriodSeconds");
    let delay = number_after("SHUTDOWN_DELAY");
    let timeout = number_after("SHUTDOWN_TIMEOUT");
    assert!(
        grace > delay + timeout,
        "grace {grace} <= {delay} + {timeout}"
    );
}

#[test]
#[ignore = "needs systemd-analyze"]
fn deploy_unit_files_pass_systemd_analyze_verify() {
    require("systemd-analyze");
    let dir = TempDir::new("units");
    let mut units = Vec::new();
    for (path, text) in deploy_files() {
        let name = path.rsplit('/').next().unwrap().to_owned();
        if !(name.ends_with(".service") || name.ends_with(".socket")) {
            continue;
        }
        // The binary the recipe names does not exist here; point it at a real one.
        let text = text.replace(
            "/usr/local/bin/myservice",
            &example("pid1").display().to_string(),
        );
        std::fs::write(dir.0.join(&name), text).unwrap();
        units.push(dir.0.join(&name));
    }
    assert!(
        units.len() >= 2,
        "expected a service and a socket unit, got {units:?}"
    );
    let output = Command::new("systemd-analyze")
        .arg("verify")
        .args(&units)
        .output()
        .expect("run systemd-analyze");
    let stderr = String::from_utf8_lossy(&output.stderr);
    // verify exits 0 on some problems (an unknown value is "ignored"), so warnings fail too.
    assert!(
        output.status.success() && stderr.trim().is_empty(),
        "systemd-analyze verify:\n{stderr}"
    );

    // And the check is real: a typo is reported.
    let service = units
        .iter()
        .find(|p| p.extension().is_some_and(|e| e == "service"))
        .unwrap();
    let text = std::fs::read_to_string(service)
        .unwrap()
        .replace("Type=notify", "Type=notfy");
    std::fs::write(service, text).unwrap();
    let output = Command::new("systemd-analyze")
        .arg("verify")
        .args(&units)
        .output()
        .unwrap();
    assert!(
        !output.stderr.is_empty(),
        "systemd-analyze verify missed a typo"
    );
}

#[test]
#[ignore = "needs hadolint and kubernetes-validate"]
fn deploy_dockerfile_and_manifest_pass_their_linters() {
    require("hadolint");
    require("kubernetes-validate");
    let dir = TempDir::new("lint");
    for (path, text) in deploy_files() {
        if path == "Dockerfile" || path.ends_with(".yaml") {
            std::fs::write(dir.0.join(&path), text).unwrap();
        }
    }
    let output = Command::new("hadolint")
        .args(["--failure-threshold", "warning", "--no-color"])
        .arg(dir.0.join("Dockerfile"))
        .output()
        .expect("run hadolint");
    assert!(
        output.status.success(),
        "hadolint:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let output = Command::new("kubernetes-validate")
        .arg("--strict")
        .arg(dir.0.join("deployment.yaml"))
        .output()
        .expect("run kubernetes-validate");
    let report = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && report.contains("passed") && !report.contains("WARN"),
        "kubernetes-validate:\n{report}"
    );
}
