// A function that passes its second parameter to `dup2` as the target, called with stdout: the
// call moves stdout as the `dup2` would.

fn redirect(fd: i32, to: i32) {
    unsafe {
        libc::dup2(fd, to);
    }
}

#[twelve_factor::main]
async fn main() {
    let log = 7;
    redirect(log, 1);
}
