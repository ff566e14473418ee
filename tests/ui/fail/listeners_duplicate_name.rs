#[twelve_factor::main(listeners(admin = 9091, grpc = 50051, admin = 9092))]
async fn main() {}
