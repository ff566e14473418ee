// Mirrors: a service's start-up checks that mention PID files only in messages and existence
// checks (a stale file from an old init script), without writing one.

use std::path::Path;

const STALE: &str = "/run/svcd.pid";

fn check_stale_pid_file() -> Option<String> {
    Path::new(STALE)
        .exists()
        .then(|| format!("found {STALE}; nothing reads it any more, remove it"))
}

#[twelve_factor::main]
async fn main() {
    if let Some(message) = check_stale_pid_file() {
        eprintln!("{message}");
    }
    println!("no PID file is written (e.g. /run/app.pid): the manager tracks the process");
}
