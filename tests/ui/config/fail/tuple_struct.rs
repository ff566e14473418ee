#[derive(twelve_factor::Config)]
struct Settings(String, u16);

fn main() {}
