//! A forked copy of the parser state for speculative parsing.

#[derive(Clone)]
struct State {
    position: usize,
}

pub fn speculate(input: &[u8]) -> usize {
    let base = State { position: 0 };
    let mut forked = base.clone();
    forked.position += input.len();
    forked.position
}
