//! The smallest twelve-factor process: no server; it logs, says it is ready, and waits for
//! SIGTERM, SIGINT or SIGHUP.
//!
//! ```sh
//! cargo run --example hello                    # Ctrl-C to stop, twice to force (exit 130)
//! LOG_FORMAT=json cargo run --example hello
//! ```

#[twelve_factor::main]
async fn main(app: twelve_factor::App) {
    tracing::info!(
        pid = std::process::id(),
        "hello; waiting for a shutdown signal"
    );
    app.ready();
    app.shutdown().await;
    tracing::info!("goodbye");
}
