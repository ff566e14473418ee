//! systemd's end of the notify protocol: the datagram socket a test binds and passes to the
//! service as `NOTIFY_SOCKET`, and reads `READY=1`, `STATUS=…`, `STOPPING=1` from.

use super::temp::{unique, TempDir};
use std::os::linux::net::SocketAddrExt;
use std::os::unix::net::{SocketAddr, UnixDatagram};
use std::time::{Duration, Instant};

/// The receiving end of `NOTIFY_SOCKET`: a datagram socket bound by the test, as systemd does.
pub struct NotifySocket {
    socket: UnixDatagram,
    /// The value for `NOTIFY_SOCKET`.
    pub env: String,
    _dir: Option<TempDir>,
}

impl NotifySocket {
    /// A socket file in a fresh directory.
    pub fn path() -> NotifySocket {
        let dir = TempDir::new("notify");
        let path = dir.0.join("notify.sock");
        let socket = UnixDatagram::bind(&path).expect("bind notify socket");
        NotifySocket {
            socket,
            env: path.display().to_string(),
            _dir: Some(dir),
        }
    }

    /// A Linux abstract socket, `NOTIFY_SOCKET=@name`.
    pub fn abstract_name() -> NotifySocket {
        let name = unique("notify");
        let address = SocketAddr::from_abstract_name(name.as_bytes()).expect("abstract address");
        let socket = UnixDatagram::bind_addr(&address).expect("bind abstract notify socket");
        NotifySocket {
            socket,
            env: format!("@{name}"),
            _dir: None,
        }
    }

    /// The next message, or `None` after `timeout`.
    pub fn recv(&self, timeout: Duration) -> Option<(Instant, String)> {
        self.socket
            .set_read_timeout(Some(timeout))
            .expect("set_read_timeout");
        let mut buffer = [0_u8; 4096];
        match self.socket.recv(&mut buffer) {
            Ok(len) => Some((
                Instant::now(),
                String::from_utf8_lossy(&buffer[..len]).into_owned(),
            )),
            Err(error)
                if matches!(
                    error.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                None
            }
            Err(error) => panic!("recv on the notify socket: {error}"),
        }
    }

    /// Skips messages until one that contains the line `line` (e.g. `READY=1`); panics after
    /// `timeout`. Returns it with the time it arrived and the messages skipped.
    pub fn expect(&self, line: &str, timeout: Duration) -> (Instant, String, Vec<String>) {
        let deadline = Instant::now() + timeout;
        let mut skipped = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(
                !left.is_zero(),
                "no {line:?} within {timeout:?}; got {skipped:?}"
            );
            match self.recv(left) {
                Some((at, message)) if message.lines().any(|l| l == line) => {
                    return (at, message, skipped)
                }
                Some((_, message)) => skipped.push(message),
                None => {}
            }
        }
    }

    /// Every message that arrives within `window`.
    pub fn collect(&self, window: Duration) -> Vec<(Instant, String)> {
        let deadline = Instant::now() + window;
        let mut messages = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return messages;
            }
            if let Some(message) = self.recv(left) {
                messages.push(message);
            }
        }
    }
}
