// Mirrors: a parser crate with a thread-local cache followed directly by its own `fork` module
// (speculative parsing: fork the parser state, try, and join back).

use std::cell::RefCell;

thread_local! {
    static CACHE: RefCell<Vec<u32>> = const { RefCell::new(Vec::new()) };
}
mod fork;

#[twelve_factor::main]
async fn main() {
    CACHE.with(|c| c.borrow_mut().push(1));
    assert_eq!(fork::speculate(&[1, 2, 3]), 3);
}
