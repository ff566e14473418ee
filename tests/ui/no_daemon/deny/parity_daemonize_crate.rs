// `daemonize-simple`, `dmon` and `parity-daemonize` are not dependencies of the ui-test project,
// so their paths stand in a `macro_rules!` body that is never invoked: rustc does not resolve it,
// the detector reads it like any other code.
// Shape of a node client's entry point: when a PID-file argument is given, daemonize through
// `parity_daemonize::daemonize(pid)`, then detach from the parent once start-up succeeded.

#[allow(unused_macros)]
macro_rules! go_background {
    ($pid:expr) => {
        let handle = match parity_daemonize::daemonize($pid) {
            Ok(handle) => Some(handle),
            Err(e) => {
                eprintln!("{}", e);
                return;
            }
        };
    };
}

#[twelve_factor::main]
async fn main() {}
