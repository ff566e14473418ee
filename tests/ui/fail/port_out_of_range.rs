#[twelve_factor::main(port = 70000)]
async fn main() {}
