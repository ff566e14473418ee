//! Cargo on packages outside the workspace (the corpus fixture, the no-daemon fixture crates and
//! the packages the tests write), each into a target directory of its own under `target/`.
//!
//! Builds wait for the tests that measure time (`support::quiet`). Cargo runs `--offline` first
//! (fast, and works wherever the crates are in the local registry cache) and falls back to the
//! network only when the cache lacks a crate.

use super::quiet::quiet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// `target/NAME` of this repository.
pub fn target_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join(name)
}

/// `cargo SUBCOMMAND --quiet ARGS` in `dir` into `target`, without the test's own RUSTFLAGS,
/// `--offline` first.
pub fn offline_first(subcommand: &str, dir: &Path, target: &Path, args: &[&str]) -> Output {
    let _quiet = quiet();
    let run = |offline: bool| {
        let mut command = Command::new(env!("CARGO"));
        command
            .arg(subcommand)
            .arg("--quiet")
            .args(args)
            .current_dir(dir)
            .env("CARGO_TARGET_DIR", target)
            .env_remove("RUSTFLAGS")
            .env_remove("CARGO_ENCODED_RUSTFLAGS");
        if offline {
            command.arg("--offline");
        }
        command.output().expect("cargo runs")
    };
    let offline = run(true);
    let stderr = String::from_utf8_lossy(&offline.stderr);
    let missing_offline = !offline.status.success()
        && (stderr.contains("--offline") || stderr.contains("failed to select a version"));
    if missing_offline {
        run(false)
    } else {
        offline
    }
}

/// One no-daemon check at a time: they share a target directory.
static NO_DAEMON_BUILD: Mutex<()> = Mutex::new(());

/// The outcome of `cargo check` on a package.
pub struct Checked {
    pub success: bool,
    pub stderr: String,
}

/// The target directory every no-daemon package is checked into.
pub fn no_daemon_target_dir() -> PathBuf {
    target_dir("no_daemon_fixtures")
}

/// `cargo check --message-format=short` in `dir`, with `extra` arguments, into
/// [`no_daemon_target_dir`].
pub fn cargo_check_in(dir: &Path, extra: &[&str]) -> Checked {
    let _guard = NO_DAEMON_BUILD
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let mut args = vec!["--message-format=short"];
    args.extend_from_slice(extra);
    let output = offline_first("check", dir, &no_daemon_target_dir(), &args);
    Checked {
        success: output.status.success(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// [`cargo_check_in`] (offline only) that must finish within `limit`: past it, cargo is killed
/// and the test fails. Returns the outcome and how long the check took.
pub fn cargo_check_within(dir: &Path, limit: Duration) -> (Checked, Duration) {
    let _guard = NO_DAEMON_BUILD
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let _quiet = quiet();
    let started = Instant::now();
    let mut child = Command::new(env!("CARGO"))
        .args(["check", "--quiet", "--offline", "--message-format=short"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", no_daemon_target_dir())
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cargo runs");
    let mut pipe = child.stderr.take().expect("stderr");
    let reader = std::thread::spawn(move || {
        let mut stderr = String::new();
        let _ = pipe.read_to_string(&mut stderr);
        stderr
    });
    let status = loop {
        if let Some(status) = child.try_wait().expect("cargo waits") {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("cargo check in {} took over {limit:?}", dir.display());
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let took = started.elapsed();
    let stderr = reader.join().unwrap_or_default();
    let checked = Checked {
        success: status.success(),
        stderr,
    };
    (checked, took)
}
