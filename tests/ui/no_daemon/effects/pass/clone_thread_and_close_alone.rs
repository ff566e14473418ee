// `clone` with CLONE_VM | CLONE_THREAD makes a thread; close(1) with no open after it moves
// nothing; a dup2 wrapper called with descriptors 3 and 4 leaves stdout and stderr alone.

extern "C" fn entry(_: *mut libc::c_void) -> libc::c_int {
    0
}

fn pass(from: i32, to: i32) {
    unsafe { libc::dup2(from, to) };
}

// The calls are compiled (and read by the detector), never run by the test.
#[twelve_factor::main]
async fn main() {
    if std::env::var_os("TWELVE_FACTOR_UI_NEVER").is_none() {
        return;
    }
    let mut stack = vec![0u8; 64 * 1024];
    let top = unsafe { stack.as_mut_ptr().add(stack.len()) } as *mut libc::c_void;
    let flags = libc::CLONE_VM | libc::CLONE_FS | libc::CLONE_FILES | libc::CLONE_SIGHAND | libc::CLONE_THREAD;
    let _ = flags;
    let _ = |_: ()| unsafe {
        libc::clone(entry, top, libc::CLONE_VM | libc::CLONE_THREAD | libc::CLONE_SIGHAND, std::ptr::null_mut())
    };
    pass(5, 3);
    pass(6, 4);
    println!("done");
    unsafe { libc::close(1) };
}
