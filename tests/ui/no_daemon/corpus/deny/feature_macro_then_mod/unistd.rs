pub fn fork_process() -> i32 {
    unsafe { libc::fork() }
}
