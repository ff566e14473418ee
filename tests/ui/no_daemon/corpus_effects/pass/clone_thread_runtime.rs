// Mirrors: a green-thread runtime that starts an OS thread with raw `clone` on its own stack:
// the flags share memory, files, signal handlers and the thread group.

extern "C" fn entry(_: *mut libc::c_void) -> libc::c_int {
    0
}

fn start_thread(stack: &mut [u8]) -> libc::c_int {
    let top = unsafe { stack.as_mut_ptr().add(stack.len()) } as *mut libc::c_void;
    unsafe {
        libc::clone(
            entry,
            top,
            libc::CLONE_VM | libc::CLONE_FS | libc::CLONE_FILES | libc::CLONE_SIGHAND | libc::CLONE_THREAD,
            std::ptr::null_mut(),
        )
    }
}

#[twelve_factor::main]
async fn main() {
    let _ = start_thread;
}
