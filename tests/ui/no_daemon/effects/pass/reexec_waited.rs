// The program runs a copy of itself and waits for it.

use std::os::unix::process::CommandExt;
use std::process::Command;

// The calls are compiled (and read by the detector), never run by the test.
#[twelve_factor::main]
async fn main() {
    if std::env::var_os("TWELVE_FACTOR_UI_NEVER").is_none() {
        return;
    }
    let exe = std::env::current_exe().unwrap();
    let _ = Command::new(&exe).arg("--check").process_group(0).status();
    if let Ok(mut child) = Command::new(exe).arg("--migrate").spawn() {
        let _ = child.wait();
    }
}
