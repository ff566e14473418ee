// Mirrors: an old-style unix daemon that glob-imports nix's unistd and calls fork and setsid by
// their bare names.

use nix::unistd::*;

fn detach() -> nix::Result<Pid> {
    match unsafe { fork() }? {
        ForkResult::Parent { .. } => std::process::exit(0),
        ForkResult::Child => setsid(),
    }
}

#[twelve_factor::main]
async fn main() {
    let _ = detach;
}
