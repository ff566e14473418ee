#[twelve_factor::main(flavor = "single_thread")]
async fn main() {}
