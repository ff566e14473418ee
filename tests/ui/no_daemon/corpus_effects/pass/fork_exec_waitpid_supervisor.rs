// Mirrors: a small process supervisor: fork, the child execs the configured program, the parent
// waits for it and reports its exit status.

use nix::sys::wait::{waitpid, WaitStatus};
use nix::unistd::{execvp, fork, ForkResult};
use std::ffi::CString;

fn supervise(program: &str) -> nix::Result<i32> {
    let argv = [CString::new(program).unwrap()];
    match unsafe { fork() }? {
        ForkResult::Child => {
            let _ = execvp(&argv[0], &argv);
            unsafe { libc::_exit(127) }
        }
        ForkResult::Parent { child } => match waitpid(child, None)? {
            WaitStatus::Exited(_, code) => Ok(code),
            _ => Ok(1),
        },
    }
}

#[twelve_factor::main]
async fn main() {
    let _ = supervise;
}
