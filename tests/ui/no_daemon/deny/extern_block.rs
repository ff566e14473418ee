// Declaring the symbol yourself in an `extern` block.

extern "C" {
    fn fork() -> i32;
}

#[twelve_factor::main]
async fn main() {
    let _ = unsafe { fork() };
}
