// A PID path held in a constant, then written through `OpenOptions` (shape of a daemon that
// refuses to start twice): a heuristic like a literal `.pid` path, so a warning, made an error
// here by `deny(deprecated)`.
#![deny(deprecated)]

use std::fs::OpenOptions;
use std::io::Write;
use std::path::Path;

const PID_FILE: &str = "/run/svcd.pid";

fn claim_pid_file() -> std::io::Result<()> {
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(Path::new(PID_FILE))?;
    writeln!(file, "{}", std::process::id())
}

#[twelve_factor::main]
async fn main() {
    let _ = claim_pid_file;
}
