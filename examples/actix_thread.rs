//! A synchronous `main` that runs actix-web on a thread of its own, with its own actix
//! `System`, as services that mix blocking work and a server do: the socket comes from
//! [`App::std_listener`](twelve_factor::App::std_listener) (socket activation and readiness
//! included) and the attribute's shutdown is handed to the server.
//!
//! ```sh
//! cargo run --example actix_thread
//! ```

use actix_web::{web, App, HttpServer};
use serde::Deserialize;
use std::time::Duration;

#[derive(Deserialize)]
struct Slow {
    ms: u64,
}

async fn slow(query: web::Query<Slow>) -> String {
    tracing::info!(ms = query.ms, "slow request started");
    actix_web::rt::time::sleep(Duration::from_millis(query.ms)).await;
    format!("slept {} ms\n", query.ms)
}

async fn panics() -> &'static str {
    panic!("the /panic route panics on purpose");
}

#[twelve_factor::main]
fn main(app: twelve_factor::App) -> std::io::Result<()> {
    let listener = app.std_listener()?;
    let shutdown = app.shutdown();
    let timeout = app.shutdown_timeout().as_secs();
    let server = std::thread::Builder::new()
        .name("http".into())
        .spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                tracing::info!("actix-web serving on its own thread");
                HttpServer::new(|| {
                    App::new()
                        .route("/", web::get().to(|| async { "hello from a thread\n" }))
                        .route("/slow", web::get().to(slow))
                        .route("/panic", web::get().to(panics))
                })
                .workers(2)
                .listen(listener)?
                .shutdown_signal(shutdown)
                .shutdown_timeout(timeout)
                .run()
                .await
            })
        })?;
    let served = server
        .join()
        .unwrap_or_else(|_| Err(std::io::Error::other("server thread panicked")));
    tracing::info!("actix-web thread drained");
    served
}
