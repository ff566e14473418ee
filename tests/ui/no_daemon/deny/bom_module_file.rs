// A module file that starts with a byte-order mark: its first `mod` is still walked.

#[path = "../support/shapes/bom/mod.rs"]
mod bom;

#[twelve_factor::main]
async fn main() {
    let _ = bom::child::detach;
}
