// A `cfg`-gated daemonizing function is an error on the targets where it is compiled in.

#[cfg(unix)]
fn detach() {
    unsafe {
        libc::daemon(1, 0);
    }
}

#[twelve_factor::main]
async fn main() {
    let _ = detach;
}
