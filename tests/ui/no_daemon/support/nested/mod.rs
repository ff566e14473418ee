//! Support module for deny/multi_file_nested.rs: a `mod.rs` with a file child.

pub mod child;
