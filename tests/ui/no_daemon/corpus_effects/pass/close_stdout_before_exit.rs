// Mirrors: a linker's output writer: when the output is stdout it closes descriptor 1 once
// everything is written (so a program run next does not find the file still open) and returns;
// only a regular file is opened, further down.

use std::fs::OpenOptions;
use std::io::Write;

fn finish(to_stdout: bool, path: &str, bytes: &[u8]) -> std::io::Result<()> {
    if to_stdout {
        std::io::stdout().write_all(bytes)?;
        unsafe {
            libc::close(libc::STDOUT_FILENO);
        }
        return Ok(());
    }
    let mut file = OpenOptions::new().write(true).create(true).open(path)?;
    file.write_all(bytes)
}

#[twelve_factor::main]
async fn main() {
    let _ = finish;
}
