// Mirrors: a terminal's "spawn detached" helper (the shape several launchers copy): stdio on
// /dev/null, and in `pre_exec` a second fork whose parent `_exit`s and whose child calls setsid,
// so the program ends up re-parented to init.

use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};

fn spawn_detached(program: &str) -> std::io::Result<()> {
    let mut command = Command::new(program);
    command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    unsafe {
        command.pre_exec(|| match libc::fork() {
            -1 => Err(std::io::Error::last_os_error()),
            0 => {
                libc::setsid();
                Ok(())
            }
            _ => libc::_exit(0),
        });
    }
    command.spawn()?.wait()?;
    Ok(())
}

#[twelve_factor::main]
async fn main() {
    let _ = spawn_detached;
}
