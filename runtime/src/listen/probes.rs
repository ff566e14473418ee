//! The probe listener on `HOST:HEALTH_PORT`: `GET`/`HEAD /livez` and `/readyz` for Kubernetes,
//! load balancers and anything else that polls a process over HTTP.
//!
//! Hand-written HTTP/1.1 rather than a server crate: two paths, two methods, no request body,
//! one response per connection (`Connection: close`). What it guarantees:
//! - it is bound before `main` runs and answers until the process exits, on the tokio runtime
//!   `main` runs on, so a wedged runtime fails the liveness probe;
//! - its connections are not tasks the drain waits for: an idle or slow probe never delays the
//!   exit;
//! - a request head must arrive within [`HEAD_TIMEOUT`] and fit in [`MAX_HEAD`](crate::listen::http::MAX_HEAD) bytes, at most
//!   [`MAX_CONNECTIONS`] probes are served at once, and writing the answer is bounded too;
//! - idle connections cannot starve a real probe: when all the slots are taken, a new
//!   connection sheds the oldest *idle* one, one that has not sent a byte. A probe sends its
//!   request as soon as it connects, so its request is already waiting in the socket even when
//!   a flood of connections is accepted before its task runs; such a connection, or one whose
//!   head has been read, is never shed while an idle one is left.

use crate::listen::http::{read_head, Head, Response};
use crate::listen::readiness::{self, Readiness};
use std::future::Future;
use std::io;
use std::collections::VecDeque;
use std::net::SocketAddr;
use std::os::fd::{AsRawFd, RawFd};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_util::sync::CancellationToken;

/// How long a client may take to send its request head.
pub(crate) const HEAD_TIMEOUT: Duration = Duration::from_secs(5);
/// Probe connections served at once; a new one beyond them closes the oldest.
pub(crate) const MAX_CONNECTIONS: usize = 64;
/// How long writing the answer may take.
const WRITE_TIMEOUT: Duration = Duration::from_secs(2);
/// After answering, how long unread request bytes are drained before closing (closing with
/// unread data makes the kernel send a reset, which can destroy the answer in flight).
const LINGER: Duration = Duration::from_millis(500);

/// Binds the probe listener on `addr`; the error names the address and `HEALTH_PORT`.
pub(crate) async fn bind(addr: SocketAddr) -> io::Result<TcpListener> {
    TcpListener::bind(addr).await.map_err(|error| {
        io::Error::new(
            error.kind(),
            format!("cannot listen on {addr} for probes (HEALTH_PORT): {error}"),
        )
    })
}

/// A task of the probe listener. One boxed type for the accept loop and the connections, so
/// tokio's task machinery is instantiated once for both (it is per future type and scheduler).
type Task = Pin<Box<dyn Future<Output = ()> + Send>>;

/// Starts serving probes on `listener` for the life of the process.
pub(crate) fn spawn(listener: TcpListener, readiness: Arc<readiness::State>) {
    let task: Task = Box::pin(serve(listener, readiness));
    tokio::spawn(task);
}

/// One connection being served.
struct Slot {
    id: u64,
    /// The socket, to look for a request waiting in it (never read through here).
    fd: RawFd,
    /// Set once the request head has been read: the connection is being answered.
    answering: Arc<AtomicBool>,
    /// Sheds the connection.
    shed: CancellationToken,
}

impl Slot {
    /// Whether the connection has sent nothing: no head read, no byte waiting in the socket.
    fn idle(&self) -> bool {
        !self.answering.load(Ordering::Acquire) && !has_bytes_waiting(self.fd)
    }
}

/// Whether a byte can be read from `fd` without blocking. The peek consumes nothing; should the
/// connection have closed meanwhile and its number been reused, the answer is about another
/// socket, which at worst spares an idle connection once.
fn has_bytes_waiting(fd: RawFd) -> bool {
    let mut byte = 0_u8;
    // SAFETY: `byte` is a valid one-byte buffer; recv on any descriptor is memory-safe.
    let received = unsafe {
        libc::recv(
            fd,
            (&raw mut byte).cast(),
            1,
            libc::MSG_PEEK | libc::MSG_DONTWAIT,
        )
    };
    received > 0
}

/// The connections being served, oldest first.
#[derive(Default)]
struct Slots {
    open: Mutex<VecDeque<Slot>>,
}

impl Slots {
    /// Takes a slot for connection `id` on `fd`; when none is free, sheds the oldest idle
    /// connection (the oldest of all when none is idle). Returns the shed token and the flag the
    /// connection sets once its head is read.
    fn take(&self, id: u64, fd: RawFd) -> (CancellationToken, Arc<AtomicBool>) {
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        if open.len() >= MAX_CONNECTIONS {
            let victim = open.iter().position(Slot::idle).unwrap_or(0);
            if let Some(slot) = open.remove(victim) {
                slot.shed.cancel();
            }
        }
        let slot = Slot {
            id,
            fd,
            answering: Arc::new(AtomicBool::new(false)),
            shed: CancellationToken::new(),
        };
        let handles = (slot.shed.clone(), slot.answering.clone());
        open.push_back(slot);
        handles
    }

    /// Frees the slot of connection `id` (already gone if it was shed).
    fn free(&self, id: u64) {
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(index) = open.iter().position(|slot| slot.id == id) {
            open.remove(index);
        }
    }
}

async fn serve(listener: TcpListener, readiness: Arc<readiness::State>) {
    let slots = Arc::new(Slots::default());
    let mut next_id = 0_u64;
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                next_id += 1;
                let id = next_id;
                let (shed, answering) = slots.take(id, stream.as_raw_fd());
                let (readiness, slots) = (readiness.clone(), slots.clone());
                // Not `app.spawn`: the drain must never wait for a probe.
                let task: Task = Box::pin(async move {
                    tokio::select! {
                        () = answer(stream, &readiness, &answering) => {}
                        () = shed.cancelled() => {}
                    }
                    slots.free(id);
                });
                tokio::spawn(task);
            }
            Err(error) => {
                // Out of file descriptors and the like: try again shortly rather than spin.
                tracing::warn!(target: "twelve_factor", %error, "probe listener: accept failed");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
}

/// Reads one request head, answers it and closes the connection. Every step is bounded in time.
async fn answer(mut stream: TcpStream, readiness: &readiness::State, answering: &AtomicBool) {
    let head = tokio::time::timeout(HEAD_TIMEOUT, read_head(&mut stream)).await;
    answering.store(true, Ordering::Release);
    let response = match head {
        Ok(Head::Complete(head)) => respond(&head, || readiness.get()),
        Ok(Head::TooLarge) => Response::error(431, "request header fields too large"),
        Ok(Head::Closed) => return,
        Err(_elapsed) => Response::error(408, "request timeout"),
    };
    let bytes = response.to_bytes();
    if tokio::time::timeout(WRITE_TIMEOUT, stream.write_all(&bytes))
        .await
        .is_err()
    {
        return;
    }
    let _ = stream.shutdown().await;
    // Wait (briefly) for the client to close its side, discarding what it still sends.
    let _ = tokio::time::timeout(LINGER, async {
        let mut sink = [0_u8; 1024];
        while matches!(stream.read(&mut sink).await, Ok(n) if n > 0) {}
    })
    .await;
}

/// The answer to one request head; `readiness` is asked only for `/readyz`.
pub(crate) fn respond(head: &[u8], readiness: impl FnOnce() -> Readiness) -> Response {
    let Some(line) = head.split(|&b| b == b'\n').next() else {
        return Response::error(400, "bad request");
    };
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let Ok(line) = std::str::from_utf8(line) else {
        return Response::error(400, "bad request");
    };
    let mut parts = line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Response::error(400, "bad request");
    };
    if !version.starts_with("HTTP/") {
        return Response::error(400, "bad request");
    }
    if !version.starts_with("HTTP/1.") {
        return Response::error(505, "HTTP version not supported");
    }
    // Origin form `/readyz?verbose`, or absolute form `http://host:port/readyz`.
    let path = match target.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |slash| &rest[slash..]),
        None => target,
    };
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let head_only = match method {
        "GET" => false,
        "HEAD" => true,
        _ if matches!(path, "/livez" | "/readyz") => {
            let mut response = Response::error(405, "method not allowed; use GET or HEAD");
            response.allow = true;
            return response;
        }
        _ => false,
    };
    let mut response = match path {
        "/livez" => Response::new(200, "ok\n"),
        "/readyz" => {
            let readiness = readiness();
            Response::new(readiness.status_code(), format!("{readiness}\n"))
        }
        "/metrics" => match crate::metrics::render(readiness().is_ready()) {
            Some(page) => Response::new(200, page),
            None => Response::error(404, "not found; probes are /livez and /readyz"),
        },
        _ => Response::error(404, "not found; probes are /livez and /readyz"),
    };
    response.head_only = head_only;
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(head: &str) -> Response {
        respond(head.as_bytes(), Readiness::ready)
    }

    #[test]
    fn probes() {
        assert_eq!(
            get("GET /livez HTTP/1.1\r\nHost: x\r\n\r\n"),
            Response::new(200, "ok\n")
        );
        assert_eq!(
            get("GET /readyz HTTP/1.1\r\n\r\n"),
            Response::new(200, "ready\n")
        );
        let down = respond(b"GET /readyz HTTP/1.1\r\n\r\n", || {
            Readiness::not_ready("shutting down")
        });
        assert_eq!(down, Response::new(503, "not ready: shutting down\n"));
    }

    #[test]
    fn targets_versions_and_methods() {
        assert_eq!(get("GET /readyz?verbose HTTP/1.1\r\n\r\n").status, 200);
        assert_eq!(
            get("GET http://10.0.0.7:9090/livez HTTP/1.1\r\n\r\n").status,
            200
        );
        assert_eq!(get("GET /livez HTTP/1.0\n\n").status, 200);
        assert_eq!(get("GET /healthz HTTP/1.1\r\n\r\n").status, 404);
        assert_eq!(get("GET /readyz/ HTTP/1.1\r\n\r\n").status, 404);
        assert_eq!(get("POST /nope HTTP/1.1\r\n\r\n").status, 404);
        let post = get("POST /readyz HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
        assert_eq!((post.status, post.allow), (405, true));
        assert_eq!(get("GET /livez HTTP/2.0\r\n\r\n").status, 505);
        for bad in [
            "GET /livez\r\n\r\n",
            "GET  /livez HTTP/1.1\r\n\r\n",
            "\r\n\r\n",
            "GET /livez FTP/1\r\n\r\n",
        ] {
            assert_eq!(get(bad).status, 400, "{bad:?}");
        }
        // Not asked for readiness unless the path is /readyz.
        let response = respond(b"GET /livez HTTP/1.1\r\n\r\n", || unreachable!());
        assert_eq!(response.status, 200);
    }

    #[test]
    fn wire_format() {
        let text = String::from_utf8(get("GET /readyz HTTP/1.1\r\n\r\n").to_bytes()).unwrap();
        assert_eq!(
            text,
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 6\r\n\
             Cache-Control: no-store\r\nConnection: close\r\n\r\nready\n"
        );
        let head = String::from_utf8(get("HEAD /readyz HTTP/1.1\r\n\r\n").to_bytes()).unwrap();
        assert!(
            head.ends_with(
                "Content-Length: 6\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n"
            ),
            "{head}"
        );
        let post = String::from_utf8(get("PUT /livez HTTP/1.1\r\n\r\n").to_bytes()).unwrap();
        assert!(
            post.starts_with("HTTP/1.1 405 Method Not Allowed\r\n"),
            "{post}"
        );
        assert!(post.contains("\r\nAllow: GET, HEAD\r\n"), "{post}");
    }

    /// A flood accepted before a probe's task has run: the probe's request is waiting in its
    /// socket, so the connections shed to make room are the idle ones around it, never it.
    #[test]
    fn a_waiting_request_is_not_shed_while_idle_connections_are_left() {
        use std::io::Write;
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let slots = Slots::default();
        let mut clients = Vec::new();
        let mut served = Vec::new();
        let mut tokens = Vec::new();
        for id in 0..(MAX_CONNECTIONS as u64 + 3) {
            let mut client = std::net::TcpStream::connect(addr).unwrap();
            if id == 0 {
                // The oldest connection is a probe whose request nobody has read yet.
                client.write_all(b"GET /livez HTTP/1.1\r\n\r\n").unwrap();
                std::thread::sleep(Duration::from_millis(50));
            }
            let (stream, _) = listener.accept().unwrap();
            tokens.push(slots.take(id, stream.as_raw_fd()).0);
            clients.push(client);
            served.push(stream);
        }
        assert!(!tokens[0].is_cancelled(), "the probe with a waiting request was shed");
        // The three shed to make room are the oldest idle ones.
        let shed: Vec<usize> = (0..tokens.len()).filter(|&i| tokens[i].is_cancelled()).collect();
        assert_eq!(shed, vec![1, 2, 3]);
        // Once nothing is idle, the oldest goes.
        for slot in slots.open.lock().unwrap().iter() {
            slot.answering.store(true, Ordering::Release);
        }
        let (stream, _) = {
            let _client = std::net::TcpStream::connect(addr).unwrap();
            listener.accept().unwrap()
        };
        slots.take(999, stream.as_raw_fd());
        assert!(tokens[0].is_cancelled());
    }
}
