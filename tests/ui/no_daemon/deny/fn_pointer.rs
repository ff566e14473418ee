// A function pointer, never called here: still the banned API.

#[twelve_factor::main]
async fn main() {
    let f: unsafe extern "C" fn() -> libc::pid_t = libc::fork;
    let _ = f;
}
