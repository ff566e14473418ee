// The process enum beside the App and a configuration, in any order, async and sync, and a
// program with its own command-line parser.
#[derive(Debug, twelve_factor::Process)]
enum Kind {
    /// Serves HTTP.
    #[process(default)]
    Web,
    /// Migrates, then exits.
    #[process(one_off)]
    Release,
}

#[derive(twelve_factor::Config)]
struct Settings {
    #[config(default = "1")]
    level: u8,
}

mod sync_main {
    #[twelve_factor::main]
    pub fn main(kind: super::Kind, settings: super::Settings, app: twelve_factor::App) {
        let _ = (kind, settings.level, app.args());
    }
}

mod process_only {
    #[twelve_factor::main]
    pub async fn main(kind: super::Kind) -> Result<(), std::io::Error> {
        let _ = kind;
        Ok(())
    }
}

struct Cli {
    verbose: bool,
}

impl Cli {
    fn parse() -> Cli {
        Cli { verbose: std::env::args().any(|arg| arg == "-v") }
    }
}

#[twelve_factor::main(cli = Cli::parse)]
async fn main(settings: Settings, cli: Cli, app: twelve_factor::App, kind: Kind) {
    let _ = (settings.level, cli.verbose, app.process_type(), kind);
    let _ = (sync_main::main, process_only::main);
}
