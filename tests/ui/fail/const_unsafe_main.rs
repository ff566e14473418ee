#[twelve_factor::main]
const unsafe fn main() {}
