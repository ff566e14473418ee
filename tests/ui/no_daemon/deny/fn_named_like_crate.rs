// `daemonize` is not a dependency of the ui-test project, so the crate's path stands in a
// `macro_rules!` body that is never invoked; the detector reads it like any other code.
// Shape of an agent's platform module: it defines its own `pub fn daemonize(entry)` and, in
// the same module, builds `daemonize::Daemonize`. A path `daemonize::…` names a module, type or
// crate, never a function, so the crate is still found.

mod daemonizer {
    #[allow(unused_macros)]
    macro_rules! start {
        () => {
            let daemon = daemonize::Daemonize::new().working_directory(".");
            daemon.start()
        };
    }

    pub fn daemonize(entry: fn()) {
        entry();
    }
}

#[twelve_factor::main]
async fn main() {
    daemonizer::daemonize(|| {});
}
