//! Runs the real binary the way Kubernetes does: start it with `PORT` and `HEALTH_PORT`, wait
//! until `/readyz` answers 200, send SIGTERM, and expect readiness to turn 503 while the
//! service still answers during `SHUTDOWN_DELAY`, then a clean exit 0.
#![cfg(unix)]

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A port nobody listens on right now.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A minimal HTTP/1.1 GET; returns the status code and the body, or `None` while nothing
/// listens.
fn http_get(port: u16, path: &str) -> Option<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    let request = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let status = response.split(' ').nth(1)?.parse().ok()?;
    let body = response.split_once("\r\n\r\n")?.1.to_owned();
    Some((status, body))
}

/// Kills the service if an assertion fails first, so no process outlives the test.
struct Service(Child);

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn ready_then_not_ready_on_sigterm_while_still_serving_then_exit_0() {
    let port = free_port();
    let mut health = free_port();
    while health == port {
        health = free_port();
    }
    let mut service = Service(
        Command::new(env!("CARGO_BIN_EXE_{{project-name}}"))
            .env("PORT", port.to_string())
            .env("HEALTH_PORT", health.to_string())
            .env("HOST", "127.0.0.1")
            .env("SHUTDOWN_DELAY", "1s")
            .stdout(Stdio::null())
            .spawn()
            .expect("start the service"),
    );
    let child = &mut service.0;

    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if http_get(health, "/readyz") == Some((200, "ready\n".to_owned())) {
            break;
        }
        assert!(Instant::now() < deadline, "/readyz never answered 200");
        assert!(child.try_wait().unwrap().is_none(), "the service exited early");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(http_get(health, "/livez"), Some((200, "ok\n".to_owned())));
    assert_eq!(http_get(port, "/").map(|(status, _)| status), Some(200));

    let kill = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());

    // SHUTDOWN_DELAY: not ready any more, but still serving and alive.
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(
        http_get(health, "/readyz"),
        Some((503, "not ready: shutting down\n".to_owned()))
    );
    assert_eq!(http_get(port, "/").map(|(status, _)| status), Some(200));
    assert_eq!(http_get(health, "/livez"), Some((200, "ok\n".to_owned())));

    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "no exit 20 s after SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(0), "{status}");
}
