// tokio's tests-build `use_builder_outer.rs`: the expansion must not trip
// `unused_qualifications` when the user re-exports a module named like one it uses.
#![deny(unused_qualifications)]

pub use tokio::runtime;

#[twelve_factor::main]
async fn main() {
    if true {}
}
