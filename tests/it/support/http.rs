//! Real sockets: free ports, waiting for a listener, and plain HTTP/1.1 GETs written by hand, so
//! the tests never go through the HTTP stack of the code under test.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// A free TCP port on 127.0.0.1 (bound, read, released).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .expect("free port")
}

/// Waits until 127.0.0.1:`port` accepts connections.
pub fn wait_for_port(port: u16, timeout: Duration) {
    let start = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < timeout,
            "port {port} not accepting within {timeout:?}"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// An HTTP/1.1 GET on 127.0.0.1:`port`; returns the status code and the body.
pub fn http_get(port: u16, path: &str) -> std::io::Result<(u16, String)> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    // One write: a server that answers after its first read must see the whole request.
    let request = format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes())?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("not an HTTP response: {response:?}")))?;
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_owned())
        .unwrap_or_default();
    Ok((status, body))
}

/// [`http_get`] on another thread, for a request that must be in flight while something else
/// happens (a signal, a drain).
pub fn get_in_background(port: u16, path: &str) -> JoinHandle<std::io::Result<(u16, String)>> {
    let path = path.to_owned();
    std::thread::spawn(move || http_get(port, &path))
}
