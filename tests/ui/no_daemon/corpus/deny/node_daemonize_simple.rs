// Mirrors: a watchtower/coordinator node of a custody system. It parses `--conf`, sets up file
// logging, then fills in `daemonize-simple`'s public fields and calls `doit()`.
// (`daemonize-simple` is not a dependency of the corpus project: its use stands in a
// `macro_rules!` body that is never invoked.)

use std::path::PathBuf;

fn parse_args(args: Vec<String>) -> Option<PathBuf> {
    if args.len() == 3 && args[1] == "--conf" {
        Some(PathBuf::from(&args[2]))
    } else {
        None
    }
}

#[allow(unused_macros)]
macro_rules! go_background {
    ($data_dir:expr) => {
        let mut daemon = daemonize_simple::Daemonize::default();
        daemon.pid_file = Some($data_dir.join("node.lock"));
        daemon.doit().unwrap_or_else(|e| {
            eprintln!("Error daemonizing: {}", e);
            std::process::exit(1);
        });
    };
}

#[twelve_factor::main]
async fn main() {
    let _ = parse_args(std::env::args().collect());
}
