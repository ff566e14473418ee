// `dup2` onto fd 1 and 2 (literals and libc constants); onto fd 3 is fine.

fn redirect(fd: i32) {
    unsafe {
        libc::dup2(fd, 1);
        libc::dup2(fd, libc::STDERR_FILENO);
        libc::dup2(fd, 3);
        libc::dup3(fd, 2, libc::O_CLOEXEC);
    }
}

#[twelve_factor::main]
async fn main() {
    let _ = redirect;
}
