//! Misbehaves on request, to show (and test) how each failure ends: `FAULT` picks one.
//!
//! | `FAULT` | what `main` does | exit code |
//! |---|---|---|
//! | unset | serves `/` like the http example | 0 after a drain |
//! | `panic` | panics after binding | 101 |
//! | `error` | returns an error with a cause | 1 |
//! | `hang` | ignores the shutdown and never returns | 1 at the deadline |
//! | `task-panic` | a spawned task panics; the service keeps serving | 0 after a drain |
//! | `hang-task` | a spawned task ignores the shutdown | 1 at the deadline |
//! | `spam` | logs 64 lines every millisecond (for closed/full stdout) | 0 after a drain |
//! | `worker-error` | the worker `outbox` returns an error after `FAULT_MS` (100 ms) | 1 after a drain |
//! | `worker-panic` | the worker `outbox` panics after `FAULT_MS` | 1 after a drain |
//! | `worker-done` | the worker `outbox` returns `Ok` early; the service keeps serving | 0 after a drain |
//! | `worker-stuck` | the worker `outbox` ignores its stop token | 1 at the deadline |
//!
//! With `RUST_LOG=debug` it logs each request's path, percent-decoded: a request value in a
//! log line, as services log them (`curl 'localhost:8080/a%0Aforged'` stays one line).
//!
//! ```sh
//! FAULT=panic cargo run --example faults; echo $?    # 101
//! ```

use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[derive(Debug)]
struct StartupError(std::io::Error);

impl std::fmt::Display for StartupError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("cannot load the widget catalogue")
    }
}

impl std::error::Error for StartupError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

#[twelve_factor::main(shutdown_timeout = "5s")]
async fn main(app: twelve_factor::App) -> Result<(), StartupError> {
    let fault = std::env::var("FAULT").unwrap_or_default();
    let listener = app.listener().await.map_err(StartupError)?;
    match fault.as_str() {
        "panic" => panic!("FAULT=panic: main panics on purpose"),
        "error" => {
            return Err(StartupError(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "catalogue.json: no such file",
            )))
        }
        "task-panic" => {
            app.spawn(async { panic!("FAULT=task-panic: a spawned task panics on purpose") });
        }
        "hang-task" => {
            app.spawn(std::future::pending::<()>());
        }
        "spam" => {
            let spammer = app.clone();
            app.spawn(async move {
                let mut n = 0_u64;
                while !spammer.is_shutting_down() {
                    // Bursts of 64 lines per millisecond: tens of thousands of lines a second.
                    for _ in 0..64 {
                        n += 1;
                        tracing::info!(n, "spam line to fill stdout");
                    }
                    tokio::time::sleep(Duration::from_millis(1)).await;
                }
            });
        }
        "worker-error" | "worker-panic" | "worker-done" => {
            let after = Duration::from_millis(
                std::env::var("FAULT_MS")
                    .ok()
                    .and_then(|ms| ms.parse().ok())
                    .unwrap_or(100),
            );
            let fault = fault.clone();
            app.worker("outbox", move |_stop| async move {
                tokio::time::sleep(after).await;
                match fault.as_str() {
                    "worker-panic" => panic!("FAULT=worker-panic: a worker panics on purpose"),
                    "worker-error" => Err("the broker closed the connection"),
                    _ => Ok(()),
                }
            });
        }
        "worker-stuck" => {
            app.worker("outbox", |_stop| async {
                std::future::pending::<()>().await;
                Ok::<(), std::io::Error>(())
            });
        }
        _ => {}
    }
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((mut stream, _)) = accepted else { continue };
                app.spawn(async move {
                    // Read the request up to the end of its headers before answering.
                    let mut request = Vec::with_capacity(1024);
                    let mut chunk = [0_u8; 1024];
                    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                        match stream.read(&mut chunk).await {
                            Ok(0) | Err(_) => break,
                            Ok(n) => request.extend_from_slice(&chunk[..n]),
                        }
                    }
                    let target = request.split(|&b| b == b' ').nth(1).unwrap_or_default();
                    let path = percent_decoded(target);
                    tracing::debug!(path = %path, "request for {path}");
                    let _ = stream.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 3\r\nconnection: close\r\n\r\nok\n").await;
                });
            }
            () = app.shutdown() => break,
        }
    }
    if fault == "hang" {
        std::future::pending::<()>().await;
    }
    Ok(())
}

/// `%XX` escapes decoded, as a router does before the path reaches a handler.
fn percent_decoded(text: &[u8]) -> String {
    let mut out = Vec::with_capacity(text.len());
    let mut bytes = text.iter();
    while let Some(&byte) = bytes.next() {
        let hex = |b: Option<&u8>| b.and_then(|b| (*b as char).to_digit(16));
        if byte == b'%' {
            let mut ahead = bytes.clone();
            if let (Some(high), Some(low)) = (hex(ahead.next()), hex(ahead.next())) {
                out.push((high * 16 + low) as u8);
                bytes = ahead;
                continue;
            }
        }
        out.push(byte);
    }
    String::from_utf8_lossy(&out).into_owned()
}
