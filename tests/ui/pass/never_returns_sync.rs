#![deny(warnings)]

#[twelve_factor::main]
fn main() -> ! {
    std::process::exit(0)
}
