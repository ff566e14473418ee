//! The request handler both twins share (included with `#[path]`), so the only difference
//! between them is the `main` around it: one HTTP/1.1 request per connection, `GET /` answers
//! `ok`, `GET /slow?ms=N` answers after N milliseconds.

use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Reads one request head and answers it; I/O errors just end the connection.
pub async fn serve(mut stream: TcpStream) {
    let mut head = Vec::with_capacity(1024);
    let mut buffer = [0_u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 16 * 1024 {
        match stream.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buffer[..n]),
        }
    }
    let path = head
        .split(|&b| b == b' ')
        .nth(1)
        .map(|path| String::from_utf8_lossy(path).into_owned())
        .unwrap_or_default();
    let millis = path
        .strip_prefix("/slow?ms=")
        .and_then(|ms| ms.parse::<u64>().ok())
        .unwrap_or(0);
    if millis > 0 {
        tokio::time::sleep(Duration::from_millis(millis)).await;
    }
    let _ = stream
        .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 3\r\nconnection: close\r\n\r\nok\n")
        .await;
}
