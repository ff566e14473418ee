// After a brace macro call the next items are read as items: a clean module, a test-only
// thread-local, a function whose local variable is named `fork`.

use std::cell::Cell;

thread_local! {
    static DEPTH: Cell<u32> = const { Cell::new(0) };
}
#[path = "../support/shapes/own_daemon_words.rs"]
mod jobs;

#[cfg(test)]
thread_local! {
    static CALLS: Cell<u32> = const { Cell::new(0) };
}

fn branch_count() -> u32 {
    let fork = DEPTH.with(Cell::get) + 2;
    fork
}

#[twelve_factor::main]
async fn main() {
    assert_eq!(branch_count(), jobs::fork());
}
