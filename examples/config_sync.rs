//! A synchronous `fn main` that takes a configuration struct, read like the async one's.
//!
//! ```sh
//! QUEUE_URL=amqp://mq cargo run --example config_sync
//! ```

/// Settings of a batch worker.
#[derive(Debug, twelve_factor::Config)]
struct Settings {
    /// Queue to consume.
    queue_url: String,
    /// Messages per batch.
    #[config(default = "100")]
    batch_size: u32,
}

#[twelve_factor::main]
fn main(_app: twelve_factor::App, settings: Settings) {
    tracing::info!("sync settings: {settings:?}");
    tracing::info!(
        queue_url = settings.queue_url,
        batch_size = settings.batch_size,
        "fields"
    );
}
