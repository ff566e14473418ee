// A glob `use` inside a block, and the call through it.

fn detach() -> i32 {
    use libc::*;
    unsafe { fork() }
}

#[twelve_factor::main]
async fn main() {
    let _ = detach;
}
