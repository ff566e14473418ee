//! External tools (systemd-socket-activate, unshare, tini, honcho, …) that `.ci/install-tools`
//! installs for the tests marked `#[ignore = "needs …"]`.

use std::process::{Command, Stdio};

/// Fails with a clear message when an external tool is missing.
pub fn require(tool: &str) {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    assert!(found, "{tool} is not installed; run .ci/install-tools");
}
