#[twelve_factor::main(start_paused = true)]
async fn main() {}
