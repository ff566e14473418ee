// `libc::vfork` is a fork too.

#[allow(deprecated)]
fn spawn_copy() -> libc::pid_t {
    unsafe { libc::vfork() }
}

#[twelve_factor::main]
async fn main() {
    let _ = spawn_copy;
}
