// Mirrors: a job runner that starts a worker as a child process, asks it to stop with SIGTERM
// through nix, and waits for it.

use nix::sys::signal::{kill, Signal};
use nix::unistd::Pid;
use std::process::Command;

fn run_worker() -> std::io::Result<()> {
    let mut child = Command::new("sleep").arg("5").spawn()?;
    kill(Pid::from_raw(child.id() as i32), Signal::SIGTERM).map_err(std::io::Error::from)?;
    child.wait()?;
    Ok(())
}

#[twelve_factor::main]
async fn main() {
    let _ = run_worker;
}
