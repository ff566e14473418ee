//! The integration tests, in one binary: each area runs the built examples (or packages built on
//! the fly) as real processes, with real environments, signals and sockets.
//!
//! `cargo test --test it` runs every area; `cargo test --test it faults::` one of them. Tests
//! that need a tool outside the Rust toolchain are `#[ignore = "needs …"]`: `bash
//! .ci/install-tools`, then `cargo test --test it -- --include-ignored`. The compile-time tests
//! (trybuild) are the separate `ui` binary, `tests/ui.rs`.

mod support;

/// Configuration from the environment: exit 78, one line per bad variable, the start-up event,
/// `NAME_FILE`, `env_table`.
mod config;
/// `#[derive(Config)]` on the shapes public services use, read through `from_map`.
mod config_shapes;
/// Services migrated from `#[tokio::main]` (the `tests/fixtures/corpus` package), built and run.
mod corpus;
/// Faults on purpose: bad environments, a port in use, stdout closed or full, panics, hung work,
/// drains under load.
mod faults;
/// One process, several parts: declared listeners, workers, the ordered stop, part failures.
mod formation;
/// Framework shapes (actix-web, …) migrated to the attribute, run as real processes.
mod frameworks;
/// The `HEALTH_PORT` probe listener and readiness, probed as Kubernetes, HAProxy and curl do.
#[cfg(target_os = "linux")]
mod health;
/// Hostile sources: `NAME_FILE` as a FIFO, a device, a directory or an oversized file; values
/// of 100,000 characters; control characters in values and in logged request data; a crate
/// whose modules and includes name FIFOs, devices, huge and binary files and symlink loops.
mod hostile;
/// `TWELVE_FACTOR_MANIFEST`: Kubernetes, systemd and Procfile manifests from the binary,
/// validated by the real tools, and the drift check.
mod manifests;
/// The no-daemon detector on a corpus of public daemonizing code and its look-alikes.
mod no_daemon_corpus;
/// The no-daemon detector on the package manifest: dependencies, renames, targets, features.
mod no_daemon_manifest;
/// The no-daemon detector on hostile inputs: deep nesting, `include!`, symlink loops.
mod no_daemon_robust;
/// The `otel` and `metrics` features on a real OTLP receiver and a real Prometheus.
#[cfg(all(feature = "otel", feature = "metrics", target_os = "linux"))]
mod observability;
/// Process managers, with the real tools: systemd notify and socket activation, PID 1, tini,
/// dumb-init, honcho, journald, and the deploy recipes of `docs/deploy/`.
#[cfg(target_os = "linux")]
mod process_manager;
/// Process types and one-off admin processes: selection, probes, `--help`, `--version`, and
/// the command-line shapes of public services.
mod process_types;
/// The README's tables against the code, and the local links of the README and `docs/`.
mod readme;
/// The runtime contract: PORT, logs, signals, the drain and its deadline, exit codes.
mod runtime;
/// The cargo-generate template: generated, built, tested, served, drained and deployed.
#[cfg(unix)]
mod template;
