//! A warp 0.4 service under the attribute, in the shape warp services are written (a `routes()`
//! function combining filters with `.or`, warp's `trace` filter): the attribute's listener
//! handed to `incoming(…)`, its shutdown to `graceful(…)`. warp installs no signal handler of
//! its own; its graceful run closes the listener at `app.shutdown()` and waits for every
//! connection (idle keep-alive ones are closed), with no deadline of its own: the attribute's
//! `SHUTDOWN_TIMEOUT` is the deadline.
//!
//! ```sh
//! cargo run --example warp
//! curl 'localhost:8080/slow?ms=3000' & kill -TERM <pid>   # the slow request still completes
//! ```
//!
//! warp 0.3's `serve_incoming_with_graceful_shutdown` and `bind_with_graceful_shutdown` are gone
//! in 0.4: `warp::serve(routes).incoming(listener).graceful(signal).run()` replaces both.

use serde::Deserialize;
use std::time::Duration;
use warp::{Filter, Rejection, Reply};

#[derive(Deserialize)]
struct Slow {
    ms: u64,
}

async fn slow(Slow { ms }: Slow) -> String {
    tracing::info!(ms, "slow request started");
    tokio::time::sleep(Duration::from_millis(ms)).await;
    format!("slept {ms} ms\n")
}

fn panics() -> &'static str {
    panic!("the /panic route panics on purpose");
}

/// Every route of the service.
fn routes() -> impl Filter<Extract = (impl Reply,), Error = Rejection> + Clone {
    let hello = warp::path::end().map(|| "hello from warp\n");
    let slow = warp::path("slow").and(warp::query::<Slow>()).then(slow);
    let panics = warp::path("panic").map(panics);
    warp::get()
        .and(hello.or(slow).or(panics))
        .with(warp::trace::request())
}

#[twelve_factor::main]
async fn main(app: twelve_factor::App) -> std::io::Result<()> {
    let listener = app.listener().await?;
    tracing::info!("warp serving");
    warp::serve(routes())
        .incoming(listener)
        .graceful(app.shutdown())
        .run()
        .await;
    tracing::info!("warp drained");
    Ok(())
}
