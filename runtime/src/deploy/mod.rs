//! The binary knows its deployment: manifests written from the code, and drift caught.
//!
//! A [`Contract`] is what any deployment of the binary must respect, as data: every variable
//! of its env table (defaults, required, secret), its listeners (`PORT`, named `http`, and the
//! declared ones), its process types, the probe port, the stop timing, and the exit codes not
//! to restart on (78, 64). From it:
//!
//! - [`emit`] writes the manifests of a [`Kind`] (`kubernetes.rs`, `systemd.rs`,
//!   `procfile.rs`) as one stream of files, each opening with `# file: NAME`; [`Flags`] are the
//!   emit-time settings (`TWELVE_FACTOR_IMAGE`, …);
//! - [`check`] reads existing manifests and reports each [`Drift`] (`check.rs` dispatches to
//!   `check_kubernetes.rs`, behind the `manifest` feature, and `check_systemd.rs` over
//!   `unit_file.rs`; Procfiles in `check.rs` over `procfile.rs`);
//! - `activate.rs` is the hook at the very start of the process: `TWELVE_FACTOR_MANIFEST=KIND`
//!   prints and exits 0, `TWELVE_FACTOR_MANIFEST=check ./svc deploy/` checks (exit 1 on drift),
//!   before the rest of the environment is read. The lifecycle calls it only with the
//!   `manifest` feature (off by default); the functions here are always there for code and
//!   tests that call them, and cost a binary nothing when nothing does.
//!
//! Data flows one way: `contract` → `flags`, `output` → the emitters → `emit`; `unit_file`,
//! `procfile`, `drift` → the checkers → `check`; `activate` on top.

mod activate;
mod check;
#[cfg(feature = "manifest")]
mod check_kubernetes;
mod check_systemd;
mod contract;
mod drift;
mod emit;
mod flags;
mod kubernetes;
mod output;
mod procfile;
mod systemd;
mod unit_file;

pub use activate::{intercept, respond, Known, MANIFEST_VARIABLE};
pub use check::{check, check_files};
pub use contract::{
    object_name, Contract, EnvVar, Listener, RuntimeValues, Value, DEFAULT_HEALTH_PORT,
    NO_RESTART_EXIT_CODES, PLATFORM_VARIABLES, STOP_MARGIN,
};
pub use drift::Drift;
pub use emit::{emit, Kind};
pub use flags::{Flags, FLAG_VARIABLES};
pub use output::split_files;
