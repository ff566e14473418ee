//! Support module for pass/file_module_named_daemon.rs: the user's own `daemon::fork`.

pub fn fork() -> &'static str {
    "the user's own"
}
