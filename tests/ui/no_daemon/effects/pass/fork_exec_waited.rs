// A supervisor's fork: the child execs a program, the parent reaps it.

// The calls are compiled (and read by the detector), never run by the test.
#[twelve_factor::main]
async fn main() {
    if std::env::var_os("TWELVE_FACTOR_UI_NEVER").is_none() {
        return;
    }
    let program = c"/bin/true";
    let argv = [program.as_ptr(), std::ptr::null()];
    match unsafe { libc::fork() } {
        0 => unsafe {
            libc::execv(program.as_ptr(), argv.as_ptr());
            libc::_exit(127);
        },
        -1 => {}
        child => {
            let mut status = 0;
            unsafe { libc::waitpid(child, &mut status, 0) };
        }
    }
}
