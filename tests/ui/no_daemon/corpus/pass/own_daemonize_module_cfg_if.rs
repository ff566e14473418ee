// Mirrors: a server that used to daemonize and kept its `daemonize` module, now a no-op that
// explains how to run in the foreground; the module's platform file is chosen in `cfg_if!`.

mod daemonize;

#[twelve_factor::main]
async fn main() {
    daemonize::explain();
}
