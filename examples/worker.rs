//! A background worker: a periodic job loop that finishes its current unit of work when the
//! shutdown begins, then exits 0. It binds nothing, so it says `ready()` itself.
//!
//! ```sh
//! JOB_MS=200 cargo run --example worker         # one job every 200 ms; Ctrl-C to stop
//! ```

use std::time::Duration;

#[twelve_factor::main]
async fn main(app: twelve_factor::App) {
    let job = Duration::from_millis(
        std::env::var("JOB_MS")
            .ok()
            .and_then(|ms| ms.parse().ok())
            .unwrap_or(1_000),
    );
    let worker = app.clone();
    app.spawn(async move {
        let mut done = 0_u64;
        while !worker.is_shutting_down() {
            tracing::info!(unit = done + 1, "job started");
            // One unit of work; it is never interrupted half-way.
            tokio::time::sleep(job).await;
            done += 1;
            tracing::info!(unit = done, "job finished");
        }
        tracing::info!(
            units = done,
            "worker stopped after finishing its current job"
        );
    });
    app.ready();
    // Returning from `main` would start the shutdown; wait for the signal instead. The drain
    // then waits for the worker to finish its current job.
    app.shutdown().await;
}
