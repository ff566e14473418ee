// Raw system calls stand for the functions they make: `libc::syscall(libc::SYS_fork)` is a
// fork, `SYS_vfork` a vfork, `SYS_setsid` a setsid (shape of low-level process code that skips
// the libc wrappers).

#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
fn detach_raw() -> i64 {
    unsafe {
        let pid = libc::syscall(libc::SYS_fork);
        if pid > 0 {
            libc::_exit(0);
        }
        libc::syscall(libc::SYS_setsid)
    }
}

#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
fn spawn_raw() -> i64 {
    use libc::{syscall, SYS_vfork};
    unsafe { syscall(SYS_vfork) }
}

#[twelve_factor::main]
async fn main() {
    let _ = (detach_raw, spawn_raw);
}
