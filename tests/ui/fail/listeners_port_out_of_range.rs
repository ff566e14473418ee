#[twelve_factor::main(listeners(admin = 9091, grpc = 70000))]
async fn main() {}
