// Mirrors: an operator's log package that keeps a two-line `dup2(file, fd)` helper and points
// stdout and stderr at its rotating log file through it.

use std::fs::File;
use std::os::fd::AsRawFd;

fn dup2(file: &File, fd: i32) -> std::io::Result<()> {
    match unsafe { libc::dup2(file.as_raw_fd(), fd) } {
        -1 => Err(std::io::Error::last_os_error()),
        _ => Ok(()),
    }
}

fn capture_output(log: &File) -> std::io::Result<()> {
    dup2(log, libc::STDOUT_FILENO)?;
    dup2(log, libc::STDERR_FILENO)
}

#[twelve_factor::main]
async fn main() {
    let _ = capture_output;
}
