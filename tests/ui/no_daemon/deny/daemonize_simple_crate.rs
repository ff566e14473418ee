// `daemonize-simple`, `dmon` and `parity-daemonize` are not dependencies of the ui-test project,
// so their paths stand in a `macro_rules!` body that is never invoked: rustc does not resolve it,
// the detector reads it like any other code.
// Shape of a node daemon: parse the config, set up file logging, then fill in the
// `daemonize-simple` options (a PID file from the config) and call `doit()` before serving.

#[allow(unused_macros)]
macro_rules! go_background {
    ($pid_path:expr) => {
        use daemonize_simple::Daemonize;
        let mut daemon = Daemonize::default();
        daemon.pid_file = Some($pid_path);
        daemon.doit().unwrap_or_else(|e| {
            eprintln!("Error daemonizing: {}", e);
            std::process::exit(1);
        });
    };
}

#[twelve_factor::main]
async fn main() {}
