#[twelve_factor::main]
struct Main;

fn main() {}
