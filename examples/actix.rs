//! An actix-web service under the attribute: the attribute's listener (socket activation
//! included), its shutdown and its deadline handed to `HttpServer`, so SIGTERM waits
//! `SHUTDOWN_DELAY` while still serving, then drains within `SHUTDOWN_TIMEOUT`.
//!
//! ```sh
//! cargo run --example actix
//! curl localhost:8080/                          # hello
//! curl 'localhost:8080/slow?ms=3000' & kill -TERM <pid>   # the slow request still completes
//! ```
//!
//! Routes: `/` greets, `/slow?ms=N` answers after N milliseconds, `/panic` panics inside the
//! handler (logged as an error event on stdout).

use actix_web::{web, App, HttpServer};
use serde::Deserialize;
use std::time::Duration;

#[derive(Deserialize)]
struct Slow {
    ms: u64,
}

async fn slow(query: web::Query<Slow>) -> String {
    tracing::info!(ms = query.ms, "slow request started");
    tokio::time::sleep(Duration::from_millis(query.ms)).await;
    format!("slept {} ms\n", query.ms)
}

async fn panics() -> &'static str {
    panic!("the /panic route panics on purpose");
}

#[twelve_factor::main]
async fn main(app: twelve_factor::App) -> std::io::Result<()> {
    let listener = app.listener().await?.into_std()?;
    tracing::info!("actix-web serving");
    HttpServer::new(|| {
        App::new()
            .route("/", web::get().to(|| async { "hello from actix-web\n" }))
            .route("/slow", web::get().to(slow))
            .route("/panic", web::get().to(panics))
    })
    .workers(2)
    .listen(listener)?
    .shutdown_signal(app.shutdown())
    .shutdown_timeout(app.shutdown_timeout().as_secs())
    .run()
    .await?;
    tracing::info!("actix-web drained");
    Ok(())
}
