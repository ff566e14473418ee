// `include!` of a file that forks.

include!("../support/included.rs");

#[twelve_factor::main]
async fn main() {
    let _ = included_fork;
}
