// Child processes, waited for, are fine; so is a process group for a child.

use std::os::unix::process::CommandExt;
use std::process::Command;

#[twelve_factor::main]
async fn main() {
    let status = Command::new("true").process_group(0).status();
    assert!(status.is_ok());
    let output = tokio::process::Command::new("echo").arg("fork").output().await;
    assert!(output.is_ok());
}
