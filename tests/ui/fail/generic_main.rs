#[twelve_factor::main]
async fn main<T: Default>() {}
