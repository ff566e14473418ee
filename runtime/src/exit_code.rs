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
/// A configuration variable had a bad value (`EX_CONFIG`); nothing was started.
pub const CONFIG: i32 = 78;
/// `main` panicked.
pub const PANIC: i32 = 101;
/// SIGINT arrived while already shutting down (Ctrl-C twice): exit at once.
pub const FORCED: i32 = 130;
