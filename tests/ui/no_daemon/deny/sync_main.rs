// The synchronous form of `main` is checked the same way.

#[twelve_factor::main]
fn main() {
    unsafe {
        libc::setsid();
    }
}
