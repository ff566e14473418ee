// The raw clone system call with fork's flags (only the exit signal): a new process.

#[twelve_factor::main]
async fn main() {
    let _pid = unsafe { libc::syscall(libc::SYS_clone, libc::SIGCHLD, 0, 0, 0, 0) };
}
