//! A service configured by a `#[derive(twelve_factor::Config)]` struct: its variables are read
//! and validated with the runtime's own, before anything starts. It logs what it got and exits.
//!
//! ```sh
//! SHOP_DATABASE_URL=postgres://db/shop SHOP_API_TOKEN=hunter2 cargo run --example config
//! cargo run --example config                  # exit 78: every missing variable, one line each
//! ```

use std::time::Duration;
use twelve_factor::Secret;

/// Settings of the shop service.
#[derive(Debug, twelve_factor::Config)]
#[config(prefix = "SHOP_")]
struct Settings {
    /// Postgres connection string.
    database_url: String,
    /// Worker tasks that process orders.
    #[config(default = "4")]
    workers: u16,
    /// How long a cached price stays valid.
    #[config(default = "30s")]
    cache_ttl: Duration,
    /// Base URL of the upstream price service, if any.
    upstream: Option<String>,
    /// Token for the payment API.
    #[config(secret)]
    api_token: Secret<String>,
    /// PIN of the admin console, if it is enabled.
    #[config(secret)]
    admin_pin: Option<Secret<u32>>,
    /// Feature flags, comma-separated.
    #[config(env = "FEATURES", default = "")]
    features: Vec<String>,
    /// Log orders instead of placing them.
    #[config(default = "false")]
    dry_run: bool,
}

#[twelve_factor::main]
async fn main(app: twelve_factor::App, settings: Settings) {
    tracing::info!(port = app.port(), "settings: {settings:?}");
    let Settings {
        database_url,
        workers,
        cache_ttl,
        upstream,
        api_token,
        admin_pin,
        features,
        dry_run,
    } = settings;
    tracing::info!(
        database_url,
        workers,
        cache_ttl_ms = cache_ttl.as_millis() as u64,
        upstream = upstream.as_deref().unwrap_or("-"),
        features = features.join("|"),
        dry_run,
        token_bytes = api_token.expose().len(),
        token_is_expected = api_token.expose() == "hunter2",
        admin_pin_set = admin_pin.is_some(),
        "fields"
    );
}
