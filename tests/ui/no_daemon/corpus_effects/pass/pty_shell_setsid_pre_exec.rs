// Mirrors: a terminal emulator starting the user's shell on a new pty: in `pre_exec` the child
// becomes a session leader (setsid) so the pty can be its controlling terminal; the terminal
// keeps the child and waits for it when the window closes.

use std::os::unix::process::CommandExt;
use std::process::{Child, Command};

fn start_shell(shell: &str) -> std::io::Result<Child> {
    let mut builder = Command::new(shell);
    unsafe {
        builder.pre_exec(|| {
            if libc::setsid() < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    builder.spawn()
}

fn run(shell: &str) -> std::io::Result<()> {
    let mut child = start_shell(shell)?;
    child.wait()?;
    Ok(())
}

#[twelve_factor::main]
async fn main() {
    let _ = run;
}
