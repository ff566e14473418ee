//! A service that reloads in place on SIGHUP (systemd `Type=notify-reload`): `app.reloads()`
//! turns SIGHUP into a reload request, systemd hears `RELOADING=1` then `READY=1`, and the
//! service keeps serving throughout. SIGTERM still stops it.
//!
//! ```sh
//! cargo run --example reload
//! curl localhost:8080/          # generation 1
//! kill -HUP <pid>; curl localhost:8080/   # generation 2
//! ```

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[twelve_factor::main]
async fn main(app: twelve_factor::App) -> std::io::Result<()> {
    let generation = Arc::new(AtomicU64::new(1));
    let mut reloads = app.reloads();
    let reloading = generation.clone();
    app.spawn(async move {
        while let Some(reload) = reloads.next().await {
            // Re-read what the service reads at start-up here.
            let now = reloading.fetch_add(1, Ordering::SeqCst) + 1;
            tracing::info!(generation = now, "configuration reloaded");
            reload.done();
        }
    });
    let listener = app.listener().await?;
    loop {
        let (mut stream, _) = tokio::select! {
            accepted = listener.accept() => accepted?,
            () = app.shutdown() => break,
        };
        let generation = generation.load(Ordering::SeqCst);
        app.spawn(async move {
            let mut request = [0u8; 1024];
            let _ = stream.read(&mut request).await;
            let body = format!("generation {generation}\n");
            let response = format!(
                "HTTP/1.1 200 OK\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(response.as_bytes()).await;
        });
    }
    tracing::info!("reload example stopped");
    Ok(())
}
