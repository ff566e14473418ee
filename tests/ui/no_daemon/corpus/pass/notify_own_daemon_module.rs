// Mirrors: a service that talks sd_notify itself: its own `daemon` module (named after
// sd-daemon.h) sends READY=1 to $NOTIFY_SOCKET — the opposite of daemonizing.

mod daemon;

#[twelve_factor::main]
async fn main() {
    let _ = daemon::notify("READY=1");
}
