//! Double fork, new session, back to the root directory.

use nix::unistd::{chdir, fork, setsid, ForkResult};

pub fn daemonize() -> std::io::Result<()> {
    if let ForkResult::Parent { .. } = unsafe { fork() }? {
        std::process::exit(0);
    }
    setsid()?;
    if let ForkResult::Parent { .. } = unsafe { fork() }? {
        std::process::exit(0);
    }
    chdir("/")?;
    Ok(())
}
