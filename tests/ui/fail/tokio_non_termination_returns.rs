// tokio's `impl_trait.rs`, `macros_main_generics.rs` and tests-integration `macros_main.rs`:
// under tokio the attributed function returns a value to its caller; here it is the process,
// so it returns what std's `main` accepts (a `Termination` type) and nothing else.
#[twelve_factor::main]
async fn impl_trait() -> impl Iterator<Item = impl core::fmt::Debug> {
    [()].into_iter()
}

#[twelve_factor::main]
async fn join_bracket_in_return() -> Option<fn() -> ()> {
    None
}

#[twelve_factor::main]
async fn basic_main() -> usize {
    1
}

fn main() {}
