//! The no-daemon detector against real crates: fixture packages under `tests/fixtures/`, each
//! with its own `[workspace]`, checked with `cargo check` into one shared target directory.
//!
//! - a daemonizing crate among normal `[dependencies]` fails, with the detector's message;
//! - in `[dev-dependencies]` or `[build-dependencies]` it builds;
//! - a `package =` rename is still that crate (and its uses in code are errors too);
//! - an optional dependency fails only with the feature that enables it;
//! - a `[target.'cfg(…)'.dependencies]` entry fails only on that target;
//! - real `nix` code (the crate is built) fails with the detector's errors and no other;
//! - the user's code outside the binary's module tree is read: the package's own library
//!   target, a path dependency inside the workspace, and a workspace-inherited renamed
//!   dependency is seen through;
//! - a module declared inside the real `cfg_if!` is walked;
//! - one error per banned use (the `use` line and the manifest line are notes on it), a
//!   `ForkResult` matched on a `fork` adds none, and a glob import of a banned enum adds no
//!   error for the names it does not provide.
//!
//! The checks run through `support::cargo::cargo_check_in`, shared with the corpus test.

use crate::support::cargo::{cargo_check_in, Checked};
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn cargo_check(name: &str, extra: &[&str]) -> Checked {
    cargo_check_in(&fixture(name), extra)
}

/// The lines of `stderr` that are errors.
fn errors(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|line| line.contains("error"))
        .collect()
}

/// The detector's error lines in `stderr` (one per error under `--message-format=short`).
fn detector_errors(stderr: &str) -> Vec<&str> {
    errors(stderr)
        .into_iter()
        .filter(|line| line.contains(" is banned: "))
        .collect()
}

/// Exactly `count` detector errors in `checked`.
fn assert_detector_error_count(checked: &Checked, count: usize, what: &str) {
    let found = detector_errors(&checked.stderr);
    assert_eq!(found.len(), count, "{what}:\n{}", checked.stderr);
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
        let ours = line.contains(" is banned: ")
            || line.contains("could not compile")
            || line.contains("aborting due to");
        assert!(
            ours,
            "{name}: an error that is not the detector's: {line}\n{stderr}"
        );
    }
    // One error per banned use: each expected message is one error, and there are no others.
    let banned = errors(stderr)
        .iter()
        .filter(|line| line.contains(" is banned: "))
        .count();
    assert_eq!(
        banned,
        expected.len(),
        "{name}: one error per use:\n{stderr}"
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
        &["`daemonize` in Cargo.toml:12 ([dependencies]) is banned: the process must not daemonize"],
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
            // One error, at the use in the code; the manifest line is a note on it.
            "`daemonize` in src/main.rs:3:13 is banned",
        ],
    );
    let checked = cargo_check("no_daemon_renamed_dependency", &[]);
    for note in [
        "written `background::Daemonize::new` there",
        "Cargo.toml:12 ([dependencies] as `background`) pulls the crate in",
    ] {
        assert!(
            checked.stderr.contains(note),
            "{note:?} in:\n{}",
            checked.stderr
        );
    }
}

#[test]
fn optional_dependency_is_denied_only_when_enabled() {
    assert_builds("no_daemon_optional_dependency", &[]);
    assert_denied(
        "no_daemon_optional_dependency",
        &["--features", "background"],
        &["`daemonize` in Cargo.toml:12 ([dependencies]) is banned"],
    );
}

#[test]
fn target_dependency_is_denied_on_its_target_only() {
    assert_denied(
        "no_daemon_target_dependency",
        &[],
        &["`fork` in Cargo.toml:14 ([dependencies]) is banned"],
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
            // `ForkResult` is how `fork`'s result is matched: part of the `fork` error.
            "`nix::unistd::fork` in src/main.rs:6:20 is banned",
            "`libc::daemon` in src/main.rs:11:22 is banned",
            "`nix::unistd::setsid` in src/main.rs:10:5 is banned",
        ],
    );
}

#[test]
fn library_target_is_read() {
    assert_denied(
        "no_daemon_lib_target",
        &[],
        &[
            "`libc::fork` in src/detach.rs:8:20",
            "`libc::setsid` in src/detach.rs:13:17",
        ],
    );
}

#[test]
fn workspace_path_dependency_is_read() {
    assert_denied(
        "no_daemon_workspace_path_dependency",
        &[],
        // The sibling member's path is shown as cargo's working directory makes it.
        &["`nix::unistd::setsid` in helper/src/lib.rs:5:5 is banned"],
    );
}

#[test]
fn workspace_inherited_rename_is_seen_through() {
    assert_denied(
        "no_daemon_workspace_inherited_rename",
        &[],
        // One error at the use in the code; the inherited manifest line is a note on it.
        &["`daemonize` in src/main.rs:2:13 is banned"],
    );
    let checked = cargo_check("no_daemon_workspace_inherited_rename", &[]);
    assert!(
        checked
            .stderr
            .contains("([dependencies] as `bg`) pulls the crate in"),
        "{}",
        checked.stderr
    );
}

#[test]
fn module_inside_cfg_if_is_walked() {
    assert_denied(
        "no_daemon_cfg_if_sys",
        &[],
        &["`libc::daemon` in src/sys/unix.rs:4:17"],
    );
}

#[test]
fn one_error_per_use() {
    let checked = cargo_check("no_daemon_one_error_per_api", &[]);
    assert!(
        !checked.success,
        "should fail to build:\n{}",
        checked.stderr
    );
    assert_detector_error_count(
        &checked,
        2,
        "one error per use of the crate `daemonize`; the `use` line and the manifest in notes",
    );
    for location in [
        "Cargo.toml:12",
        "src/main.rs:1:16",
        "src/main.rs:4:13",
        "src/main.rs:8:13",
    ] {
        assert!(
            checked.stderr.contains(location),
            "expected {location:?} in:\n{}",
            checked.stderr
        );
    }
}

#[test]
fn glob_of_banned_enum_is_one_error() {
    let checked = cargo_check("no_daemon_glob_noise", &[]);
    assert_denied(
        "no_daemon_glob_noise",
        &[],
        &[
            "`nix::unistd::fork` in src/main.rs:7:",
            "`nix::unistd::setsid` in src/main.rs:16:",
        ],
    );
    assert_detector_error_count(
        &checked,
        2,
        "one error each for fork (its `ForkResult` included) and setsid",
    );
    for noise in [
        "ForkResult::Some",
        "ForkResult::Ok",
        "ForkResult::u8",
        "ForkResult::verbose",
    ] {
        assert!(
            !checked.stderr.contains(noise),
            "{noise} is not a finding:\n{}",
            checked.stderr
        );
    }
}
