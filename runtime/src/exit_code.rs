//! The exit codes a `#[twelve_factor::main]` process ends with, chosen so that process managers
//! act on them: systemd's `RestartPreventExitStatus=78` stops a restart loop on bad
//! configuration, and 130 is the shell's code for "interrupted".
//!
//! ```
//! use twelvefactor_runtime::exit_code;
//!
//! assert_eq!(exit_code::CONFIG, 78); // EX_CONFIG from sysexits.h
//! ```

/// `main` returned `Ok(())` or `()`, also after a signal-initiated drain.
pub const SUCCESS: i32 = 0;
/// `main` returned `Err`, or the shutdown deadline passed with work still running.
pub const FAILURE: i32 = 1;
/// The command line or `PROCESS_TYPE` named no process type the binary has, or none was given
/// and there is no default (`EX_USAGE`); nothing was started.
pub const USAGE: i32 = 64; // EX_USAGE
/// A configuration variable had a bad value (`EX_CONFIG`); nothing was started.
pub const CONFIG: i32 = 78;
/// `main` panicked.
pub const PANIC: i32 = 101;
/// SIGINT arrived while already shutting down (Ctrl-C twice): exit at once.
pub const FORCED: i32 = 130;
