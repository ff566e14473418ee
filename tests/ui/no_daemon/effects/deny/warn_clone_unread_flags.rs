// `clone` flags held in a variable cannot be read at compile time: a warning (an error here by
// `deny(deprecated)`).
#![deny(deprecated)]

fn start(flags: libc::c_long) -> libc::c_long {
    unsafe { libc::syscall(libc::SYS_clone, flags, 0, 0, 0, 0) }
}

#[twelve_factor::main]
async fn main() {
    let _ = start;
}
