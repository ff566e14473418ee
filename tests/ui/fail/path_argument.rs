#[twelve_factor::main(threadpool::bar)]
async fn main() {}
