#[twelve_factor::main(shutdown_timeout = "forever")]
async fn main() {}
