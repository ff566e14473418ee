// Mirrors: a hand-rolled daemon in a monitoring collector: fork, setsid, fork again, then point
// stdout and stderr at its own log file with dup2.

use std::fs::OpenOptions;
use std::os::fd::AsRawFd;

use nix::unistd::{dup2, fork, setsid, ForkResult};

fn become_daemon(log_path: &str) -> nix::Result<()> {
    match unsafe { fork() }? {
        ForkResult::Parent { .. } => std::process::exit(0),
        ForkResult::Child => {}
    }
    setsid()?;
    if let ForkResult::Parent { .. } = unsafe { fork() }? {
        std::process::exit(0);
    }
    let log = OpenOptions::new()
        .create(true)
        .append(true)
        .open(log_path)
        .map_err(|_| nix::Error::EIO)?;
    dup2(log.as_raw_fd(), 1)?;
    dup2(log.as_raw_fd(), 2)?;
    Ok(())
}

#[twelve_factor::main]
async fn main() {
    let _ = become_daemon;
}
