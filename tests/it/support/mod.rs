//! What the test areas share, one file per concept; each area imports only what it uses.
//!
//! - `process`: build an example, run it as a real process with a controlled environment,
//!   signal it, wait for its exit.
//! - `http`: free ports, waiting for a listener, hand-written HTTP/1.1 GETs.
//! - `notify`: systemd's end of `NOTIFY_SOCKET`.
//! - `cargo`: cargo on packages outside the workspace, `--offline` first.
//! - `quiet`: keeps cargo builds away from the tests that measure time.
//! - `temp`: unique names and scratch directories.
//! - `tool`: external tools the ignored tests need.

pub mod cargo;
pub mod http;
#[cfg(target_os = "linux")]
pub mod notify;
pub mod process;
pub mod quiet;
pub mod temp;
#[cfg(target_os = "linux")]
pub mod tool;
