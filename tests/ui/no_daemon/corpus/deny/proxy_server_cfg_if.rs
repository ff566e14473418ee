// Mirrors: a proxy server (client and server binaries of a tunnelling tool) with a
// `--daemonize` flag. Its own `daemonize` module picks the platform code inside `cfg_if!`;
// the unix side double-forks with nix.

mod daemonize;

#[twelve_factor::main]
async fn main() {
    let daemonize_requested = std::env::args().any(|a| a == "--daemonize");
    if daemonize_requested {
        daemonize::daemonize().expect("daemonize");
    }
}
