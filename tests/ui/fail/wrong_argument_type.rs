#[twelve_factor::main]
async fn main(port: u16) {}
