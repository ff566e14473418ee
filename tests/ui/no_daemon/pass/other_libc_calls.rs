// Other libc functions, including ones whose names contain a banned word.

#[twelve_factor::main]
async fn main() {
    let pid = unsafe { libc::getpid() };
    let parent = unsafe { libc::getppid() };
    let session = unsafe { libc::getsid(0) };
    assert!(pid > 0 && parent >= 0 && session >= 0);
    let _pthread_atfork = libc::pthread_atfork;
}
