//! Raw hyper 1 under the attribute: an accept loop that races `app.shutdown()`, one tracked
//! task per connection (`app.spawn`, so the drain waits for it), and hyper's
//! `graceful_shutdown()` on every connection at `app.shutdown()`: a response in flight (a
//! 32 MiB download) finishes, an idle keep-alive connection closes at once instead of holding
//! the drain to the deadline.
//!
//! ```sh
//! cargo run --example hyper
//! curl --limit-rate 10M -o /dev/null localhost:8080/download & kill -TERM <pid>   # completes
//! ```

use bytes::Bytes;
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use std::convert::Infallible;
use std::time::Duration;

const DOWNLOAD: usize = 32 << 20;

async fn handle(request: Request<Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
    let body = match request.uri().path() {
        "/" => Bytes::from_static(b"hello from hyper\n"),
        "/download" => {
            tracing::info!(bytes = DOWNLOAD, "download started");
            Bytes::from(vec![b'x'; DOWNLOAD])
        }
        "/slow" => {
            let ms: u64 = request
                .uri()
                .query()
                .and_then(|q| q.strip_prefix("ms="))
                .and_then(|ms| ms.parse().ok())
                .unwrap_or(1000);
            tracing::info!(ms, "slow request started");
            tokio::time::sleep(Duration::from_millis(ms)).await;
            Bytes::from(format!("slept {ms} ms\n"))
        }
        "/panic" => panic!("the /panic route panics on purpose"),
        _ => Bytes::from_static(b"not found\n"),
    };
    Ok(Response::new(Full::new(body)))
}

#[twelve_factor::main]
async fn main(app: twelve_factor::App) -> std::io::Result<()> {
    let listener = app.listener().await?;
    tracing::info!("hyper serving");
    loop {
        let (stream, _) = tokio::select! {
            accepted = listener.accept() => accepted?,
            () = app.shutdown() => break,
        };
        let shutdown = app.shutdown();
        app.spawn(async move {
            let connection =
                http1::Builder::new().serve_connection(TokioIo::new(stream), service_fn(handle));
            let mut connection = std::pin::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => {}
                () = shutdown => {
                    // Finish the response in flight; close an idle keep-alive connection now.
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.await;
                }
            }
        });
    }
    tracing::info!("hyper stopped accepting; connections drain");
    Ok(())
}
