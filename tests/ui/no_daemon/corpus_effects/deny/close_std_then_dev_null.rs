// Mirrors: a desktop notification daemon with a `daemon` flag: fork and let the parent exit,
// setsid, chdir, close descriptors 0, 1 and 2, then open /dev/null (which takes 0) and dup it
// twice (1 and 2), checking each lands where expected; then fork again.

use nix::fcntl::{self, OFlag};
use nix::sys::stat::Mode;
use nix::unistd::{self, ForkResult};
use std::process;

fn detach() -> nix::Result<()> {
    if let ForkResult::Parent { .. } = unsafe { unistd::fork() }? {
        process::exit(0);
    }
    unistd::setsid()?;
    unistd::chdir("/")?;
    unistd::close(libc::STDIN_FILENO)?;
    unistd::close(libc::STDOUT_FILENO)?;
    unistd::close(libc::STDERR_FILENO)?;
    let null = fcntl::open("/dev/null", OFlag::O_RDWR, Mode::empty())?;
    assert_eq!(null, libc::STDIN_FILENO);
    assert_eq!(unistd::dup(null)?, libc::STDOUT_FILENO);
    assert_eq!(unistd::dup(null)?, libc::STDERR_FILENO);
    Ok(())
}

#[twelve_factor::main]
async fn main() {
    let _ = detach;
}
