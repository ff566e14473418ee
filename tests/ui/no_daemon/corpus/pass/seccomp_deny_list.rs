// Mirrors: a plugin host that installs a seccomp filter forbidding its plugins to create
// processes: the fork system call numbers appear only in the deny list, never as a call.

fn denied_syscalls() -> Vec<i64> {
    let mut denied = vec![libc::SYS_execve, libc::SYS_execveat];
    #[cfg(target_arch = "x86_64")]
    denied.extend([libc::SYS_fork, libc::SYS_vfork]);
    denied.push(libc::SYS_clone3);
    denied
}

#[twelve_factor::main]
async fn main() {
    assert!(denied_syscalls().contains(&libc::SYS_execve));
}
