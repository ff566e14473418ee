// An absolute `::libc::…` path.

fn background() -> i32 {
    unsafe { ::libc::fork() }
}

#[twelve_factor::main]
async fn main() {
    let _ = background;
}
