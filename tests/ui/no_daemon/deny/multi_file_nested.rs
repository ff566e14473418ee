// Nested module files: `mod.rs` layout below a `#[path]` directory, then `child.rs` inside.

#[path = "../support/nested/mod.rs"]
mod nested;

#[twelve_factor::main]
async fn main() {
    let _ = nested::child::detach;
}
