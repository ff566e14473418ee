// setsid and dup2 in `pre_exec` change the child that then runs another program, which the
// service waits for.

use std::os::unix::process::CommandExt;
use std::process::Command;

// The calls are compiled (and read by the detector), never run by the test.
#[twelve_factor::main]
async fn main() {
    if std::env::var_os("TWELVE_FACTOR_UI_NEVER").is_none() {
        return;
    }
    let mut shell = Command::new("/bin/sh");
    unsafe {
        shell.pre_exec(|| {
            libc::setsid();
            libc::dup2(3, 1);
            Ok(())
        });
    }
    let _ = shell.status();
}
