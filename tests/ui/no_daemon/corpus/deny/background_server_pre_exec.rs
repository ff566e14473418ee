// Mirrors: a command-line tool that starts its own background server on first use: it
// re-executes itself with `--server`, detaches the child into a new session in `pre_exec`, and
// returns without waiting.

use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};

fn spawn_server() -> std::io::Result<u32> {
    let exe = std::env::current_exe()?;
    let mut command = Command::new(exe);
    command
        .arg("--server")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    unsafe {
        command.pre_exec(|| {
            libc::setsid();
            Ok(())
        });
    }
    Ok(command.spawn()?.id())
}

#[twelve_factor::main]
async fn main() {
    let _ = spawn_server;
}
