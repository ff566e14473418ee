//! actix-web under `flavor = "actix"` (the `actix` feature): `main` runs inside an actix
//! `System`, as under `#[actix_web::main]`, so `System::current()` and its arbiter work, with
//! the attribute's listener, shutdown and deadline handed to `HttpServer`.
//!
//! ```sh
//! cargo run --features actix --example actix_system
//! ```

use actix_web::rt::System;
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

#[twelve_factor::main(flavor = "actix")]
async fn main(app: twelve_factor::App) -> std::io::Result<()> {
    // Panics outside an actix System.
    let system = System::current();
    let (answer, answered) = tokio::sync::oneshot::channel();
    system.arbiter().spawn(async move {
        let _ = answer.send(System::current().id());
    });
    let from_arbiter = answered.await.unwrap_or(usize::MAX);
    tracing::info!(system = system.id(), from_arbiter, "inside an actix System");

    let listener = app.listener().await?.into_std()?;
    HttpServer::new(|| {
        App::new()
            .route(
                "/",
                web::get().to(|| async { "hello from an actix System\n" }),
            )
            .route("/slow", web::get().to(slow))
            .route("/panic", web::get().to(panics))
    })
    .workers(2)
    .listen(listener)?
    .shutdown_signal(app.shutdown())
    .shutdown_timeout(app.shutdown_timeout().as_secs())
    .run()
    .await?;
    tracing::info!("actix System drained");
    Ok(())
}
