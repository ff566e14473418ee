// Mirrors: an embedded container runtime that forks its init through the raw clone system call
// (to pass namespace flags), combining the flags and the exit signal in a variable, and maps the
// result to parent and child like fork.

enum Side {
    Parent(libc::pid_t),
    Child,
}

fn clone_process(namespaces: libc::c_int, signal: Option<libc::c_int>) -> std::io::Result<Side> {
    let combined = namespaces | signal.unwrap_or(0);
    let result = unsafe {
        libc::syscall(
            libc::SYS_clone,
            combined,
            std::ptr::null_mut::<u32>(),
            std::ptr::null_mut::<u32>(),
            std::ptr::null_mut::<u32>(),
            std::ptr::null_mut::<u32>(),
        )
    };
    match result {
        -1 => Err(std::io::Error::last_os_error()),
        0 => Ok(Side::Child),
        pid => Ok(Side::Parent(pid as libc::pid_t)),
    }
}

#[twelve_factor::main]
async fn main() {
    let _ = clone_process;
    let _ = |s: Side| matches!(s, Side::Child | Side::Parent(_));
}
