#[twelve_factor::main(port = "3000")]
async fn main() {}
