// Mirrors: a plugin host that hands a plugin its channels as descriptors 3 and 4 through a
// `move_fd(from, to)` helper around dup2, in the child before exec.

use std::os::unix::process::CommandExt;
use std::process::Command;

fn move_fd(from: i32, to: i32) -> std::io::Result<()> {
    if unsafe { libc::dup2(from, to) } < 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}

fn run_plugin(path: &str, requests: i32, replies: i32) -> std::io::Result<()> {
    let mut command = Command::new(path);
    unsafe {
        command.pre_exec(move || {
            move_fd(requests, 3)?;
            move_fd(replies, 4)
        });
    }
    command.status()?;
    Ok(())
}

#[twelve_factor::main]
async fn main() {
    let _ = run_plugin;
}
