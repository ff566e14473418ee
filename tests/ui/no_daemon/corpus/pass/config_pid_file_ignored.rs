// Mirrors: a service migrated from an init script whose config still has `daemonize` and
// `pid_file` keys: it reads them, warns that they are ignored under a process manager, and
// writes nothing.

use std::path::PathBuf;

struct Config {
    daemonize: bool,
    pid_file: Option<PathBuf>,
}

fn warn_legacy(config: &Config) {
    if config.daemonize {
        eprintln!("`daemonize = true` is ignored: the process manager runs the service");
    }
    if let Some(path) = &config.pid_file {
        eprintln!("`pid_file = {}` is ignored", path.display());
    }
}

#[twelve_factor::main]
async fn main() {
    warn_legacy(&Config {
        daemonize: false,
        pid_file: None,
    });
}
