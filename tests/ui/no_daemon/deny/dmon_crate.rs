// `daemonize-simple`, `dmon` and `parity-daemonize` are not dependencies of the ui-test project,
// so their paths stand in a `macro_rules!` body that is never invoked: rustc does not resolve it,
// the detector reads it like any other code.
// Shape of a small system service: the `dmon` builder (working directory, redirected
// output) called by its full path, then `daemonize()` and `success()`.

#[allow(unused_macros)]
macro_rules! go_background {
    ($workdir:expr) => {
        dmon::options()
            .working_directory(Some($workdir))
            .stdout(Some("service.out"))
            .daemonize()
            .success()
            .unwrap()
    };
}

#[twelve_factor::main]
async fn main() {}
