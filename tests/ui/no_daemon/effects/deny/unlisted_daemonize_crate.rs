// A crate the table does not list, with the `Daemonize` shape (a renamed fork of daemonize).
// It is not a dependency here: its use stands in a `macro_rules!` body that is never invoked,
// which the detector reads like any code.

#[allow(unused_macros)]
macro_rules! background {
    () => {
        daemonise::Daemonize::new().start()
    };
}

#[twelve_factor::main]
async fn main() {}
