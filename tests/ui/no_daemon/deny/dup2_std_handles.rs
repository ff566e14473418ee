// `dup2` onto `io::stdout()`'s descriptor, through an import.

use libc::dup2;
use std::os::fd::AsRawFd;

fn log_to_file(file: &std::fs::File) {
    unsafe {
        dup2(file.as_raw_fd(), std::io::stdout().as_raw_fd());
    }
}

#[twelve_factor::main]
async fn main() {
    let _ = log_to_file;
}
