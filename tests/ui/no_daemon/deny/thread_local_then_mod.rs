// A brace macro call ends at its closing brace: after `thread_local! { … }` (no `;`, as rustfmt
// writes it) the next item, `mod spawner;`, is still a module declaration and its file is read.

use std::cell::RefCell;

thread_local! {
    static SCRATCH: RefCell<Vec<u8>> = RefCell::new(Vec::new());
}
#[path = "../support/shapes/spawner.rs"]
mod spawner;

#[twelve_factor::main]
async fn main() {
    SCRATCH.with(|s| s.borrow_mut().clear());
    let _ = spawner::spawn_detached;
}
