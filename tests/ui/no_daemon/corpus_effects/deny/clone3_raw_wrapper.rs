// Mirrors: a virtual-machine tool's own `clone3` binding: a `#[repr(C)]` argument struct and a
// thin wrapper that passes it to the raw system call, the flags filled in by its callers.

#[repr(C)]
#[derive(Default)]
pub struct CloneArgs {
    pub flags: u64,
    pub pidfd: u64,
    pub child_tid: u64,
    pub parent_tid: u64,
    pub exit_signal: u64,
    pub stack: u64,
    pub stack_size: u64,
    pub tls: u64,
}

pub unsafe fn clone3(args: &mut CloneArgs, size: usize) -> libc::c_long {
    libc::syscall(libc::SYS_clone3, args as *mut CloneArgs, size)
}

#[twelve_factor::main]
async fn main() {
    let _ = clone3;
}
