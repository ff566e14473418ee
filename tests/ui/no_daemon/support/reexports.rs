//! Support module for deny/multi_file_glob_reexport.rs: re-exports all of libc.

pub use libc::*;
