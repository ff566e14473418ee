//! A bounded HTTP/1.1 head reader and a plain-text response: enough for probes, with no server
//! crate. A request head must fit in [`MAX_HEAD`] bytes; the caller bounds the time.

use tokio::io::AsyncReadExt;
use tokio::net::TcpStream;

/// The largest request head read; a longer one is answered with 431.
pub(crate) const MAX_HEAD: usize = 8 * 1024;

/// The outcome of reading a request head.
pub(crate) enum Head {
    /// Everything up to and including the blank line.
    Complete(Vec<u8>),
    /// [`MAX_HEAD`] bytes without a blank line.
    TooLarge,
    /// The client closed the connection or it failed before a whole head arrived.
    Closed,
}

pub(crate) async fn read_head(stream: &mut TcpStream) -> Head {
    let mut head = Vec::with_capacity(512);
    let mut chunk = [0_u8; 1024];
    loop {
        if let Some(end) = head_end(&head) {
            head.truncate(end);
            return Head::Complete(head);
        }
        if head.len() >= MAX_HEAD {
            return Head::TooLarge;
        }
        let room = (MAX_HEAD - head.len()).min(chunk.len());
        match stream.read(&mut chunk[..room]).await {
            Ok(0) | Err(_) => return Head::Closed,
            Ok(n) => head.extend_from_slice(&chunk[..n]),
        }
    }
}

/// Where the head ends: after `\r\n\r\n`, or a bare `\n\n` (RFC 9112 §2.2 lets a server
/// accept a lone LF as a line terminator).
pub(crate) fn head_end(bytes: &[u8]) -> Option<usize> {
    (0..bytes.len()).find_map(|i| {
        if bytes[i..].starts_with(b"\r\n\r\n") {
            Some(i + 4)
        } else if bytes[i..].starts_with(b"\n\n") {
            Some(i + 2)
        } else {
            None
        }
    })
}

/// A complete answer.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Response {
    pub status: u16,
    pub body: String,
    /// `HEAD`: send the headers of the `GET` answer, no body.
    pub head_only: bool,
    /// 405 says which methods are allowed.
    pub allow: bool,
}

impl Response {
    pub(crate) fn new(status: u16, body: impl Into<String>) -> Response {
        Response {
            status,
            body: body.into(),
            head_only: false,
            allow: false,
        }
    }

    pub(crate) fn error(status: u16, body: &str) -> Response {
        Response::new(status, format!("{body}\n"))
    }

    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        let mut out = format!(
            "HTTP/1.1 {} {}\r\n\
             Content-Type: text/plain; charset=utf-8\r\n\
             Content-Length: {}\r\n\
             Cache-Control: no-store\r\n\
             Connection: close\r\n",
            self.status,
            reason_phrase(self.status),
            self.body.len()
        );
        if self.allow {
            out.push_str("Allow: GET, HEAD\r\n");
        }
        out.push_str("\r\n");
        if !self.head_only {
            out.push_str(&self.body);
        }
        out.into_bytes()
    }
}

fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "Unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn head_ends() {
        assert_eq!(head_end(b"GET / HTTP/1.1\r\n\r\nrest"), Some(18));
        assert_eq!(head_end(b"GET / HTTP/1.0\n\n"), Some(16));
        assert_eq!(head_end(b"GET / HTTP/1.1\r\nHost: x\r\n"), None);
    }
}
