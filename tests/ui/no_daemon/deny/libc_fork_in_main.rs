// `libc::fork` called in `main` itself: the error points at the call.

#[twelve_factor::main]
async fn main() {
    let pid = unsafe { libc::fork() };
    println!("{pid}");
}
