//! The `tf` twin plus a 20-variable `#[derive(twelve_factor::Config)]` struct, read and
//! validated with the runtime's variables before the service binds.

#[path = "../../common/serve.rs"]
mod serve;

use std::net::SocketAddr;
use std::time::Duration;
use twelve_factor::Secret;

/// The same 20 variables `hand_config` parses by hand.
#[derive(Debug, twelve_factor::Config)]
#[config(prefix = "SVC_")]
#[allow(dead_code)] // read through Debug only, like the hand-written twin
struct Settings {
    /// Postgres connection string.
    database_url: String,
    /// Redis connection string.
    redis_url: String,
    /// Token for the payment API.
    api_token: Secret<String>,
    #[config(default = "4")]
    workers: u16,
    #[config(default = "100")]
    max_connections: u32,
    #[config(default = "30s")]
    request_timeout: Duration,
    #[config(default = "90s")]
    idle_timeout: Duration,
    #[config(default = "5m")]
    cache_ttl: Duration,
    #[config(default = "10000")]
    cache_size: u64,
    upstream: Option<String>,
    #[config(default = "")]
    features: Vec<String>,
    #[config(default = "")]
    allowed_origins: Vec<String>,
    #[config(default = "false")]
    dry_run: bool,
    #[config(default = "true")]
    metrics_enabled: bool,
    #[config(default = "eu-west-1")]
    region: String,
    #[config(default = "127.0.0.1:9100")]
    admin_addr: SocketAddr,
    #[config(default = "3")]
    retry_attempts: u8,
    #[config(default = "200ms")]
    retry_backoff: Duration,
    #[config(default = "1048576")]
    max_body_bytes: usize,
    #[config(default = "0.1")]
    sample_rate: f64,
}

#[twelve_factor::main]
async fn main(
    app: twelve_factor::App,
    settings: Settings,
) -> Result<(), Box<dyn std::error::Error>> {
    let listener = app.listener().await?;
    tracing::info!(port = app.port(), workers = settings.workers, "twin ready");
    tracing::debug!("{settings:?}");
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, _) = accepted?;
                app.spawn(serve::serve(stream));
            }
            () = app.shutdown() => break,
        }
    }
    Ok(())
}
