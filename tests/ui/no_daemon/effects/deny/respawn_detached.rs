// The program re-spawns itself in a process group of its own and drops the child: the copy runs
// on as a daemon.

use std::os::unix::process::CommandExt;
use std::process::Command;

#[twelve_factor::main]
async fn main() {
    let exe = std::env::current_exe().unwrap();
    Command::new(exe).arg("--serve").process_group(0).spawn().unwrap();
}
