// Mirrors: an integration test that starts a browser driver in its own process group (so the
// whole tree can be killed), reads its port and waits for it.

use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};

fn run_driver(driver: &str, port: u16) -> std::io::Result<()> {
    let mut child = Command::new(driver)
        .process_group(0)
        .arg(format!("--port={port}"))
        .stdout(Stdio::piped())
        .spawn()?;
    child.wait()?;
    Ok(())
}

#[twelve_factor::main]
async fn main() {
    let _ = run_driver;
}
