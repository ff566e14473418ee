// `flavor` and `worker_threads` configure the runtime that runs `async fn main`.
#[twelve_factor::main(flavor = "multi_thread", worker_threads = 2)]
fn main() {}
