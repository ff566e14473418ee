// tokio's `impl_trait.rs`, `macros_main_generics.rs` and tests-integration `macros_main.rs`:
// under tokio the attributed function returns a value to its caller; here it is the process,
// so it returns what std's `main` accepts (a `Termination` type) and nothing else.
// Each case is the `main` of a module of its own, which nothing calls.
#[allow(dead_code)]
mod impl_trait {
    #[twelve_factor::main]
    pub async fn main() -> impl Iterator<Item = impl core::fmt::Debug> {
        [()].into_iter()
    }
}

#[allow(dead_code)]
mod join_bracket_in_return {
    #[twelve_factor::main]
    pub async fn main() -> Option<fn() -> ()> {
        None
    }
}

#[allow(dead_code)]
mod basic_main {
    #[twelve_factor::main]
    pub async fn main() -> usize {
        1
    }
}

fn main() {}
