//! `cargo check` on a package outside the workspace, for the no-daemon integration tests
//! (fixture crates and the corpus): one build at a time, into one shared target directory.
//!
//! Cargo runs `--offline` first (fast, and works wherever the crates are in the local registry
//! cache) and falls back to the network only when the cache lacks a crate.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

/// One build at a time: they share a target directory.
static BUILD: Mutex<()> = Mutex::new(());

/// The outcome of `cargo check` on a package.
pub struct Checked {
    pub success: bool,
    pub stderr: String,
}

/// The target directory every no-daemon package is checked into.
pub fn target_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/no_daemon_fixtures")
}

/// `cargo check --message-format=short` in `dir`, with `extra` arguments.
pub fn cargo_check_in(dir: &Path, extra: &[&str]) -> Checked {
    let _guard = BUILD
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let run = |offline: bool| {
        let mut command = Command::new(env!("CARGO"));
        command
            .arg("check")
            .arg("--quiet")
            .arg("--message-format=short")
            .args(extra)
            .current_dir(dir)
            .env("CARGO_TARGET_DIR", target_dir())
            .env_remove("RUSTFLAGS")
            .env_remove("CARGO_ENCODED_RUSTFLAGS");
        if offline {
            command.arg("--offline");
        }
        let output = command.output().expect("cargo runs");
        Checked {
            success: output.status.success(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    };
    let offline = run(true);
    let missing_offline = !offline.success
        && (offline.stderr.contains("--offline")
            || offline.stderr.contains("failed to select a version"));
    if missing_offline {
        run(false)
    } else {
        offline
    }
}
