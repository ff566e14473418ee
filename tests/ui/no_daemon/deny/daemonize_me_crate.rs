// `nix`, `daemonize`, `fork` and the PID-file crates are not dependencies of the ui-test
// project, so their paths stand in a `macro_rules!` body that is never invoked: rustc does not
// resolve it, the detector reads it like any other code (real uses are built against the real
// crates in tests/it/no_daemon_manifest.rs).

#[allow(unused_macros)]
macro_rules! background {
    () => {
        daemonize_me::Daemon::new().start()
    };
}

#[twelve_factor::main]
async fn main() {}
