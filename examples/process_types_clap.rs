//! A program that parses its own command line with clap, beside process types: the attribute's
//! `cli = Cli::parse_with_environment` runs clap before the environment is read, so clap's own
//! `--help` and `--version` answer (exit 0) even when a variable is bad, and its `--help` ends
//! with the process types and the environment table from the runtime.
//!
//! ```sh
//! cargo run --example process_types_clap -- --help
//! cargo run --example process_types_clap -- worker --batch 10
//! ```

use clap::{CommandFactory, FromArgMatches, Parser};
use twelve_factor::{App, Config, Process};

/// What this binary runs.
#[derive(Debug, Process)]
enum Kind {
    /// Serves HTTP on PORT.
    #[process(default)]
    Web,
    /// Consumes the job queue.
    Worker,
    /// Generates a signed token, prints it, exits.
    #[process(one_off)]
    GenerateJwt,
}

/// Settings of the example.
#[derive(Config)]
struct Settings {
    /// Secret the tokens are signed with.
    #[config(secret, default = "dev-only")]
    jwt_secret: twelve_factor::Secret<String>,
}

/// The program's own command line.
#[derive(Debug, Parser)]
#[command(version, about = "A service with its own command line.")]
struct Cli {
    /// The process type (web, worker, generate-jwt); PROCESS_TYPE otherwise.
    process: Option<String>,
    /// Jobs per batch.
    #[arg(long, default_value_t = 1)]
    batch: u32,
    /// The token's subject.
    #[arg(long)]
    sub: Option<String>,
}

impl Cli {
    /// clap's parse, with the runtime's process types and environment after the help.
    fn parse_with_environment() -> Cli {
        let mut variables = twelve_factor::builtin_variables().to_vec();
        variables.extend_from_slice(Settings::VARIABLES);
        let after = twelve_factor::help_sections(Kind::TYPES, &variables);
        let matches = Cli::command().after_help(after).get_matches();
        Cli::from_arg_matches(&matches).unwrap_or_else(|error| error.exit())
    }
}

#[twelve_factor::main(cli = Cli::parse_with_environment)]
async fn main(app: App, cli: Cli, kind: Kind, settings: Settings) {
    match kind {
        Kind::Web | Kind::Worker => {
            tracing::info!(batch = cli.batch, "{} running", kind.name());
            app.ready();
            app.shutdown().await;
        }
        Kind::GenerateJwt => {
            let sub = cli.sub.unwrap_or_else(|| "anonymous".to_owned());
            let secret = settings.jwt_secret.expose();
            println!("token for {sub} signed with a {}-byte secret", secret.len());
        }
    }
}
