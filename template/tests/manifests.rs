//! The deploy files against the binary itself: `TWELVE_FACTOR_MANIFEST=check` reads deploy/
//! and the Procfile and names every drift from what the code declares (a variable added to
//! `Settings` but to no manifest, a secret set as a plain value, a grace period shorter than
//! the drain, a probe on the wrong port, ...). `TWELVE_FACTOR_MANIFEST=kubernetes` (or
//! `systemd`, `procfile`) prints fresh manifests to start from.
#![cfg(unix)]

use std::process::Command;

#[test]
fn the_deploy_files_match_the_binary() {
    let mut check = Command::new(env!("CARGO_BIN_EXE_{{project-name}}"));
    check
        .env("TWELVE_FACTOR_MANIFEST", "check")
        .args(["deploy", "Procfile"])
        .current_dir(env!("CARGO_MANIFEST_DIR"));
    // The manifests are checked against the binary's defaults, not this shell's settings.
    for variable in ["PORT", "HEALTH_PORT", "SHUTDOWN_DELAY", "SHUTDOWN_TIMEOUT"] {
        check.env_remove(variable);
    }
    let output = check.output().expect("run the service binary");
    assert!(
        output.status.success(),
        "the manifests drifted from the binary:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
