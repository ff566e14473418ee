// PID paths held in constants that are only read (another program's PID file, to signal it),
// checked for existence, or printed: nothing writes a PID file.

use std::path::Path;

const NGINX_PID: &str = "/run/nginx.pid";
const LEGACY_PID: &str = "/var/run/svcd.pid";

fn nginx_pid() -> Option<i32> {
    std::fs::read_to_string(Path::new(NGINX_PID))
        .ok()?
        .trim()
        .parse()
        .ok()
}

#[twelve_factor::main]
async fn main() {
    let _ = nginx_pid();
    if Path::new(LEGACY_PID).exists() {
        println!("a stale {LEGACY_PID} from an old init script is ignored");
    }
}
