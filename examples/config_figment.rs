//! Configuration read in `main` with figment, in a service whose `main` returns
//! `anyhow::Result`: each error of the extraction becomes a [`twelve_factor::ConfigError`] for
//! its variable, and `?` carries them through `anyhow` to the attribute's report: one line per
//! variable on stderr, exit 78 — not figment's single message and exit 1.
//!
//! ```sh
//! APP_WORKERS=many APP_QUEUE= cargo run --example config_figment   # exit 78, two lines
//! ```

use figment::providers::{Env, Serialized};
use figment::Figment;
use serde::{Deserialize, Serialize};
use twelve_factor::{ConfigError, ConfigErrors};

/// The service's settings, from `APP_*` variables over the defaults.
#[derive(Debug, Deserialize, Serialize)]
struct Settings {
    workers: u16,
    queue: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            workers: 4,
            queue: "orders".to_owned(),
        }
    }
}

/// figment's errors, one per key, as the variables they came from.
fn settings() -> Result<Settings, ConfigErrors> {
    let figment =
        Figment::from(Serialized::defaults(Settings::default())).merge(Env::prefixed("APP_"));
    let settings: Settings = figment.extract().map_err(|errors| {
        let errors: Vec<ConfigError> = errors
            .into_iter()
            .map(|error| {
                let variable = format!("APP_{}", error.path.join("_").to_uppercase());
                let value = std::env::var(&variable).unwrap_or_default();
                ConfigError::new(variable, value, error.kind.to_string())
            })
            .collect();
        ConfigErrors::from(errors)
    })?;
    if settings.queue.is_empty() {
        return Err(ConfigError::new("APP_QUEUE", "", "must not be empty").into());
    }
    Ok(settings)
}

#[twelve_factor::main]
async fn main(app: twelve_factor::App) -> anyhow::Result<()> {
    let settings = settings()?;
    tracing::info!(workers = settings.workers, queue = %settings.queue, "configured");
    app.ready();
    app.shutdown().await;
    Ok(())
}
