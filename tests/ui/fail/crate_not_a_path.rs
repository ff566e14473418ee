#[twelve_factor::main(crate = "not a path")]
async fn main() {}
