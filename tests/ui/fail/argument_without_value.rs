#[twelve_factor::main(port)]
async fn main() {}
