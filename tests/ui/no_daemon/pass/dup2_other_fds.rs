// `dup2` onto descriptors other than stdout and stderr (here fd 3, and stdin) is fine.

fn keep_copy(fd: i32) {
    unsafe {
        libc::dup2(fd, 3);
        libc::dup2(fd, 0);
        libc::dup2(1, fd);
    }
}

#[twelve_factor::main]
async fn main() {
    let _ = keep_copy;
}
