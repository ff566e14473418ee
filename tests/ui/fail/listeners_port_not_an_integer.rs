#[twelve_factor::main(listeners(admin = "9091"))]
async fn main() {}
