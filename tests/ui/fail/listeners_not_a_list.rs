#[twelve_factor::main(listeners = 9091)]
async fn main() {}
