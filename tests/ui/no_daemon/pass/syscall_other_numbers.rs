// Raw system calls that do not fork or detach: thread and process ids.

#[cfg(target_os = "linux")]
fn ids() -> (i64, i64) {
    unsafe {
        (
            libc::syscall(libc::SYS_gettid),
            libc::syscall(libc::SYS_getpid),
        )
    }
}

#[twelve_factor::main]
async fn main() {
    let (tid, pid) = ids();
    assert!(tid > 0 && pid > 0);
}
