#[path = "../support/shapes/bom_worker.rs"]
mod bom_worker;

// This file starts with a byte-order mark (as some Windows editors write): the first `mod` is
// still a module declaration and its file is read.

#[twelve_factor::main]
async fn main() {
    let _ = bom_worker::start;
}
