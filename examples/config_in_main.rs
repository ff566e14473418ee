//! Configuration read inside `main` by a library of the service's choice (clap's
//! `env = "…"` fields, figment, config-rs): turned into [`twelve_factor::ConfigError`]s and
//! returned, it is reported as the attribute's own are: one line per variable on stderr, exit 78.
//!
//! ```sh
//! GREETING_LIMIT=many cargo run --example config_in_main   # exit 78, one line on stderr
//! ```

use twelve_factor::{ConfigError, ConfigErrors};

/// A variable read by hand, as a parser library would: its error says which variable and why.
fn limit() -> Result<u32, ConfigError> {
    match std::env::var("GREETING_LIMIT") {
        Err(_) => Ok(3),
        Ok(raw) => raw
            .parse()
            .map_err(|_| ConfigError::new("GREETING_LIMIT", raw, "expected a whole number")),
    }
}

#[twelve_factor::main]
async fn main(app: twelve_factor::App) -> Result<(), ConfigErrors> {
    let limit = limit()?;
    tracing::info!(limit, "configured");
    app.ready();
    app.shutdown().await;
    Ok(())
}
