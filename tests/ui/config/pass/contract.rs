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

mod service {
    #[allow(unused_imports)]
    use super::*;

    #[twelve_factor::main]
    pub async fn main(app: twelve_factor::App, settings: Settings) {
        let _ = (app.port(), settings);
    }
}

// The generated `service::main()` reads the environment and exits: compiled here, not run.
fn main() {
    let _: fn() = service::main;
}
