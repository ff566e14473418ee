// Reading another program's PID file (to signal it) is not writing one.

fn nginx_pid() -> Option<i32> {
    std::fs::read_to_string("/run/nginx.pid").ok()?.trim().parse().ok()
}

#[twelve_factor::main]
async fn main() {
    let _ = nginx_pid();
    let pidfile_path = std::path::Path::new("/tmp/not-a-pid-file.txt");
    assert!(!pidfile_path.ends_with("x"));
}
