// Mirrors: a debugger's test that runs a compiled program with its stdout on a pipe: in
// `pre_exec` the child closes descriptor 1 and dups the pipe's write end onto it; the test waits
// for the program.

use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::Command;

fn run_captured(program: &str) -> std::io::Result<()> {
    let mut fds = [0; 2];
    if unsafe { libc::pipe(fds.as_mut_ptr()) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    let tx = unsafe { OwnedFd::from_raw_fd(fds[1]) };
    let mut command = Command::new(program);
    unsafe {
        command.pre_exec(move || {
            libc::close(libc::STDOUT_FILENO);
            libc::dup2(tx.as_raw_fd(), libc::STDOUT_FILENO);
            Ok(())
        });
    }
    command.status()?;
    Ok(())
}

#[twelve_factor::main]
async fn main() {
    let _ = run_captured;
}
