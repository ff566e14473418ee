// The emitted function keeps the user's spans, so lints fire as they would without the
// attribute (tokio's `macros_dead_code` case).
#![deny(dead_code)]

#[twelve_factor::main]
async fn f() {}

fn main() {}
