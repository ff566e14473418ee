// The contract as written in the documentation: every field type, async main.

/// Settings of the shop service.
#[derive(Debug, twelve_factor::Config)]
#[config(prefix = "SHOP_")]
struct Settings {
    /// Postgres connection string.
    database_url: String,
    #[config(default = "4")]
    workers: u16,
    #[config(default = "30s")]
    cache_ttl: std::time::Duration,
    upstream: Option<String>,
    #[config(secret)]
    api_token: twelve_factor::Secret<String>,
    #[config(env = "FEATURES", default = "")]
    features: Vec<String>,
    #[config(default = "false")]
    dry_run: bool,
    // Nested forms.
    peers: Option<Vec<std::net::SocketAddr>>,
    #[config(default = "1s, 2s")]
    backoff: Vec<std::time::Duration>,
    signing_keys: Option<Vec<twelve_factor::Secret<String>>>,
    #[config(default = 0.5)]
    sample_rate: f64,
    r#type: Option<String>,
}

#[twelve_factor::main]
async fn service(app: twelve_factor::App, settings: Settings) {
    let _ = (app.port(), settings);
}

// The generated `service()` reads the environment and exits: compiled here, not run.
fn main() {
    let _: fn() = service;
}
