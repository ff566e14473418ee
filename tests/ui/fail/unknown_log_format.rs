#[twelve_factor::main(log = "xml")]
async fn main() {}
