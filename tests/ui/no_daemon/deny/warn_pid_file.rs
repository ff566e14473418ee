// A literal path ending in `.pid` written with std::fs is a heuristic (a warning), made an error
// here by `deny(deprecated)`. Reading one (another program's) is fine.
#![deny(deprecated)]

fn write_pid() -> std::io::Result<()> {
    let _ = std::fs::read_to_string("/run/nginx.pid");
    std::fs::write("/run/svc.pid", std::process::id().to_string())
}

#[twelve_factor::main]
async fn main() {
    let _ = write_pid;
}
