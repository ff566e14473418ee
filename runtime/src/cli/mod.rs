//! Process types and the first command-line argument.
//!
//! One binary runs several kinds of process (a web server, a queue worker, a one-off release
//! task) from one codebase and one build. A service lists them as an enum with
//! `#[derive(twelve_factor::Process)]`, one unit variant per type; the [`Process`] trait gives
//! their names, docs and flags as the [`ProcessType`] table. At start-up, before any
//! configuration is read:
//!
//! - `--help`/`-h` as the first argument prints [`help_text`] (usage, process types, every
//!   environment variable) and exits 0; `--version`/`-V` prints [`version_text`] and exits 0;
//! - otherwise [`select()`] picks the type: the first argument when it names one (and is then
//!   not passed on), else `PROCESS_TYPE`, else the `#[process(default)]` type; when none
//!   decides, the one-line [`UsageError`] goes to stderr and the exit code is
//!   [`exit_code::USAGE`](crate::exit_code::USAGE) (64).
//!
//! Data flows one way: `process` (the table) → `select`, `help`, `version` (plain functions
//! over it, with no I/O and no global state) → `invocation` (what the whole command line asks:
//! help, the version, or a type to run with the program's remaining arguments).

mod help;
pub mod invocation;
mod process;
mod select;
mod version;

pub use help::{help_sections, help_text, is_help};
pub use process::{Process, ProcessType};
pub use select::{select, Selection, Source, UsageError};
pub use version::{is_version, version_text};
