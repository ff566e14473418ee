// `libc::setsid` in a helper function: the error names the file and position.

fn detach() {
    unsafe {
        libc::setsid();
    }
}

#[twelve_factor::main]
async fn main() {
    detach();
}
