//! The no-daemon detector against real crates: fixture packages under `tests/fixtures/`, each
//! with its own `[workspace]`, checked with `cargo check` into one shared target directory.
//!
//! - a daemonizing crate among normal `[dependencies]` fails, with the detector's message;
//! - in `[dev-dependencies]` or `[build-dependencies]` it builds;
//! - a `package =` rename is still that crate (and its uses in code are errors too);
//! - an optional dependency fails only with the feature that enables it;
//! - a `[target.'cfg(…)'.dependencies]` entry fails only on that target;
//! - real `nix` code (the crate is built) fails with the detector's errors and no other.
//!
//! Cargo runs `--offline` first (fast, and works wherever the crates are in the local registry
//! cache) and falls back to the network only when the cache lacks a crate.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

/// One fixture build at a time: they share a target directory.
static BUILD: Mutex<()> = Mutex::new(());

/// The outcome of `cargo check` on a fixture.
struct Checked {
    success: bool,
    stderr: String,
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn cargo_check(name: &str, extra: &[&str]) -> Checked {
    let _guard = BUILD
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/no_daemon_fixtures");
    let run = |offline: bool| {
        let mut command = Command::new(env!("CARGO"));
        command
            .arg("check")
            .arg("--quiet")
            .arg("--message-format=short")
            .args(extra)
            .current_dir(fixture(name))
            .env("CARGO_TARGET_DIR", &target)
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

/// The lines of `stderr` that are errors.
fn errors(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|line| line.contains("error"))
        .collect()
}

fn assert_builds(name: &str, extra: &[&str]) {
    let checked = cargo_check(name, extra);
    assert!(
        checked.success,
        "{name} {extra:?} should build:\n{}",
        checked.stderr
    );
}

/// Fails, every error line is one of the detector's, and each of `expected` is one of them.
fn assert_denied(name: &str, extra: &[&str], expected: &[&str]) {
    let checked = cargo_check(name, extra);
    assert!(
        !checked.success,
        "{name} {extra:?} should fail to build:\n{}",
        checked.stderr
    );
    let stderr = &checked.stderr;
    for line in errors(stderr) {
        let ours = line.contains("banned by #[twelve_factor::main]")
            || line.contains("could not compile")
            || line.contains("aborting due to");
        assert!(
            ours,
            "{name}: an error that is not the detector's: {line}\n{stderr}"
        );
    }
    // One error per banned API: each expected message is one error, and there are no others.
    let banned = errors(stderr)
        .iter()
        .filter(|line| line.contains("banned by #[twelve_factor::main]"))
        .count();
    assert_eq!(
        banned,
        expected.len(),
        "{name}: one error per API:\n{stderr}"
    );
    for want in expected {
        assert!(
            stderr.contains(want),
            "{name}: expected {want:?} in:\n{stderr}"
        );
    }
}

#[test]
fn normal_dependency_is_denied() {
    assert_denied(
        "no_daemon_normal_dependency",
        &[],
        &["`daemonize` at Cargo.toml:12 ([dependencies]) is banned by #[twelve_factor::main]"],
    );
}

#[test]
fn dev_and_build_dependencies_build() {
    assert_builds("no_daemon_dev_and_build_dependencies", &[]);
}

#[test]
fn renamed_dependency_is_denied_with_its_uses() {
    assert_denied(
        "no_daemon_renamed_dependency",
        &[],
        &[
            // One error: the manifest line and the use in the code together.
            "`daemonize` at Cargo.toml:12 ([dependencies] as `background`), src/main.rs:3:13 (`background::Daemonize::new`) is banned",
        ],
    );
}

#[test]
fn optional_dependency_is_denied_only_when_enabled() {
    assert_builds("no_daemon_optional_dependency", &[]);
    assert_denied(
        "no_daemon_optional_dependency",
        &["--features", "background"],
        &["`daemonize` at Cargo.toml:12 ([dependencies]) is banned"],
    );
}

#[test]
fn target_dependency_is_denied_on_its_target_only() {
    assert_denied(
        "no_daemon_target_dependency",
        &[],
        &["`fork` at Cargo.toml:14 ([dependencies]) is banned"],
    );
    let checked = cargo_check("no_daemon_target_dependency", &[]);
    assert!(
        !checked.stderr.contains("`daemonize`"),
        "{}",
        checked.stderr
    );
    assert_builds("no_daemon_other_target_dependency", &[]);
}

#[test]
fn real_nix_code_is_denied() {
    assert_denied(
        "no_daemon_real_nix",
        &[],
        &[
            "`nix::unistd::ForkResult` at src/main.rs:3:25, src/main.rs:7:9 (`ForkResult::Parent`), src/main.rs:8:9 (`ForkResult::Child`) is banned",
            "`nix::unistd::fork` at src/main.rs:6:20 is banned",
            "`libc::daemon` at src/main.rs:11:22 (`nix::libc::daemon`) is banned",
            "`nix::unistd::setsid` at src/main.rs:10:5 (`unistd::setsid`) is banned",
        ],
    );
}
