#[twelve_factor::main(name = "my-service", worker_threads = 2)]
pub async fn main() {}
