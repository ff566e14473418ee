#[twelve_factor::main]
async fn main(app: twelve_factor::App, extra: u8) {}
