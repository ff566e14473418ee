// Mirrors: a test suite that re-runs its own binary (one ignored test, exact environment) and
// checks how the copy ends: the copy is waited for, nothing is left running.

use std::process::Command;

fn run_child_test(name: &str) -> std::io::Result<bool> {
    let status = Command::new(std::env::current_exe()?)
        .args(["--exact", name, "--ignored"])
        .env_clear()
        .status()?;
    Ok(status.success())
}

#[twelve_factor::main]
async fn main() {
    let _ = run_child_test;
}
