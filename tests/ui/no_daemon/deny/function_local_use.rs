// A `use` inside a function body.

fn detach() -> i32 {
    use libc::setsid as new_session;
    unsafe { new_session() }
}

#[twelve_factor::main]
async fn main() {
    let _ = detach;
}
