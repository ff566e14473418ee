#[twelve_factor::main(shutdown_timeout = 10)]
async fn main() {}
