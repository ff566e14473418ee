//! A poem service under the attribute, in the shape poem services are written (a `Route` of
//! `#[handler]`s, poem's `Tracing` middleware, shared state through `.data(…)`): the
//! attribute's listener handed to poem as a `TcpAcceptor`, its shutdown as poem's graceful
//! shutdown signal. poem installs no signal handler of its own.
//!
//! ```sh
//! cargo run --example poem
//! curl 'localhost:8080/slow?ms=3000' & kill -TERM <pid>   # the slow request still completes
//! ```
//!
//! The drain deadline is left to the attribute (`None` as poem's timeout): at
//! `SHUTDOWN_TIMEOUT` the process exits 1 and says what was still running. Given
//! `Some(app.shutdown_timeout())`, poem would cut the connections itself at the same moment and
//! return `Ok`, which can turn a missed deadline into exit 0.

use poem::listener::TcpAcceptor;
use poem::middleware::Tracing;
use poem::web::{Data, Query};
use poem::{get, handler, EndpointExt, Route, Server};
use serde::Deserialize;
use std::time::Duration;

/// What every handler can read (poem's `.data(…)`).
#[derive(Clone)]
struct Greeting(&'static str);

#[handler]
fn hello(greeting: Data<&Greeting>) -> &'static str {
    greeting.0 .0
}

#[derive(Deserialize)]
struct Slow {
    ms: u64,
}

#[handler]
async fn slow(Query(Slow { ms }): Query<Slow>) -> String {
    tracing::info!(ms, "slow request started");
    tokio::time::sleep(Duration::from_millis(ms)).await;
    format!("slept {ms} ms\n")
}

#[handler]
fn panics() -> &'static str {
    panic!("the /panic route panics on purpose");
}

#[twelve_factor::main]
async fn main(app: twelve_factor::App) -> std::io::Result<()> {
    let routes = Route::new()
        .at("/", get(hello))
        .at("/slow", get(slow))
        .at("/panic", get(panics))
        .with(Tracing)
        .data(Greeting("hello from poem\n"));
    let acceptor = TcpAcceptor::from_tokio(app.listener().await?)?;
    tracing::info!("poem serving");
    Server::new_with_acceptor(acceptor)
        .run_with_graceful_shutdown(routes, app.shutdown(), None)
        .await?;
    tracing::info!("poem drained");
    Ok(())
}
