#[twelve_factor::main(port = 3000, port = 4000)]
async fn main() {}
