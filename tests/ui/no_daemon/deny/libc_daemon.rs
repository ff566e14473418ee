// `libc::daemon`: fork, setsid and closing stdio in one call.

#[twelve_factor::main]
fn main() {
    if unsafe { libc::daemon(0, 0) } != 0 {
        eprintln!("daemon failed");
    }
}
