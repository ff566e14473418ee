//! Never call `libc::fork()` or `daemonize::Daemonize::new()` here.

/// Documentation that mentions `nix::unistd::setsid()` and `libc::daemon(0, 0)`.
fn describe() -> &'static str {
    // libc::fork(); nix::unistd::daemon(false, false);
    /* libc::setsid(); /* nested: libc::vfork() */ */
    "we do not call libc::fork() nor write /var/run/svc.pid"
}

#[twelve_factor::main]
async fn main() {
    let raw = r#"unsafe { libc::daemon(0, 0) }"#;
    assert!(describe().contains("fork") && raw.contains("daemon"));
}
