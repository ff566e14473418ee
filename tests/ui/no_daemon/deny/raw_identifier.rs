// A raw identifier is the same name.

fn copy() -> i32 {
    unsafe { libc::r#fork() }
}

#[twelve_factor::main]
async fn main() {
    let _ = copy;
}
