// Mirrors: a cloud-instance agent. `daemonizer/mod.rs` selects `unix.rs` inside `cfg_if!`; the
// unix module defines its own `pub fn daemonize(entry)` and, in the same module, builds the
// `daemonize` crate's `Daemonize` with a constant PID path.

mod daemonizer;

fn serve() {}

#[twelve_factor::main]
async fn main() {
    daemonizer::daemonize(serve);
}
