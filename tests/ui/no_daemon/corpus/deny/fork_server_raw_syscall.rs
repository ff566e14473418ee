// Mirrors: a fork server in a fuzzing or sandboxing runtime that calls the fork system call
// directly (skipping libc's fork handlers) and lets the parent return at once.

#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
fn fork_raw() -> libc::pid_t {
    unsafe { libc::syscall(libc::SYS_fork) as libc::pid_t }
}

#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
fn serve_forever() {
    if fork_raw() > 0 {
        std::process::exit(0);
    }
}

#[twelve_factor::main]
async fn main() {
    let _ = serve_forever;
}
