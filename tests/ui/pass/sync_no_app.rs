// A synchronous `fn main()`.
#[twelve_factor::main]
fn main() {
    let _ = 1 + 1;
}
