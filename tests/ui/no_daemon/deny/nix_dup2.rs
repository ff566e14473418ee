// `nix`, `daemonize`, `fork` and the PID-file crates are not dependencies of the ui-test
// project, so their paths stand in a `macro_rules!` body that is never invoked: rustc does not
// resolve it, the detector reads it like any other code (real uses are built against the real
// crates in tests/it/no_daemon_manifest.rs).
// `dup2` onto stdout or stderr, and nix 0.30's `dup2_stdout`/`dup2_stderr`.

#[allow(unused_macros)]
macro_rules! redirect {
    ($fd:expr, $file:expr) => {
        nix::unistd::dup2($fd, 2);
        nix::unistd::dup2($fd, 7);
        nix::unistd::dup2_stdout(&$file);
        nix::unistd::dup2_stderr(&$file);
    };
}

#[twelve_factor::main]
async fn main() {}
