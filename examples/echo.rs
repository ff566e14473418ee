//! A TCP echo server written against the facade alone (plus tokio's `io-util` and `macros` for
//! its own use): every connection is a task the drain waits for, and the accept loop stops when
//! the shutdown begins.
//!
//! ```sh
//! PORT=7000 cargo run --example echo
//! nc localhost 7000
//! ```

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

#[twelve_factor::main]
async fn main(app: twelve_factor::App) -> Result<(), Box<dyn std::error::Error>> {
    let listener = app.listener().await?;
    tracing::info!(port = app.port(), "echo server ready");
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, peer) = accepted?;
                let app_for_task = app.clone();
                app.spawn(async move {
                    let (read, mut write) = stream.into_split();
                    let mut lines = BufReader::new(read).lines();
                    loop {
                        tokio::select! {
                            line = lines.next_line() => match line {
                                Ok(Some(line)) => {
                                    if write.write_all(format!("{line}\n").as_bytes()).await.is_err() {
                                        break;
                                    }
                                }
                                _ => break,
                            },
                            // On shutdown, say goodbye and close the connection cleanly.
                            () = app_for_task.shutdown() => {
                                let _ = write.write_all(b"bye\n").await;
                                break;
                            }
                        }
                    }
                    tracing::info!(%peer, "connection closed");
                });
            }
            () = app.shutdown() => break,
        }
    }
    Ok(())
}
