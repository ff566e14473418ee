//! A service that reads a setting through a clap `env = "…"` field. Left to `Cli::parse()`, a
//! bad `WORKERS` exits 2 with clap's error screen (`error: invalid value 'many' for
//! '--workers <WORKERS>'`, then a hint to try `--help`), as if the command line were wrong. Parsed
//! with `try_parse` in `main`, the error of a value that came from the environment becomes a
//! [`twelve_factor::ConfigError`] for its variable: one line on stderr, exit 78. A mistake on
//! the command line itself (and `--help`, `--version`) stays clap's.
//!
//! ```sh
//! WORKERS=many cargo run --example clap_env        # exit 78: invalid WORKERS="many": …
//! cargo run --example clap_env -- --workers many   # exit 2: clap's error screen
//! ```

use clap::error::{ContextKind, ContextValue};
use clap::{CommandFactory, Parser};
use std::error::Error as _;
use twelve_factor::{ConfigError, ConfigErrors};

/// The service's command line.
#[derive(Debug, Parser)]
struct Cli {
    /// Worker tasks to run.
    #[arg(long, env = "WORKERS", default_value_t = 4)]
    workers: u16,
}

/// The variable behind a clap error, when the bad value came from the environment.
fn from_environment(error: &clap::Error) -> Option<ConfigError> {
    let (Some(ContextValue::String(arg)), Some(ContextValue::String(value))) = (
        error.get(ContextKind::InvalidArg),
        error.get(ContextKind::InvalidValue),
    ) else {
        return None;
    };
    let variable = Cli::command().get_arguments().find_map(|spec| {
        let long = spec.get_long()?;
        let named = arg.strip_prefix("--")?.split([' ', '=']).next() == Some(long);
        named.then(|| spec.get_env()?.to_str().map(str::to_owned))?
    })?;
    // A value that is not the variable's came from the command line: the command line's mistake.
    if std::env::var(&variable).ok().as_ref() != Some(value) {
        return None;
    }
    let reason = error
        .source()
        .map_or_else(|| error.kind().to_string(), ToString::to_string);
    Some(ConfigError::new(variable, value.as_str(), reason))
}

/// clap's parse, with the environment's mistakes reported as configuration.
fn cli() -> Result<Cli, ConfigErrors> {
    Cli::try_parse().or_else(|error| match from_environment(&error) {
        Some(bad) => Err(bad.into()),
        None => error.exit(), // --help, --version, a wrong flag: clap's own answer
    })
}

#[twelve_factor::main]
async fn main(app: twelve_factor::App) -> Result<(), ConfigErrors> {
    let cli = cli()?;
    tracing::info!(workers = cli.workers, "configured");
    app.ready();
    app.shutdown().await;
    Ok(())
}
