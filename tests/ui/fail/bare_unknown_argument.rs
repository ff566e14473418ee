#[twelve_factor::main(foo)]
async fn main() {}
