// The emitted function keeps the user's spans, so lints fire as they would without the
// attribute (tokio's `macros_dead_code` case): a `main` in a module is never called.
#![deny(dead_code)]

mod service {
    #[twelve_factor::main]
    async fn main() {}
}

fn main() {}
