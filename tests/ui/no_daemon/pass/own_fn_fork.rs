// The user's own `fn fork`, `fn setsid`, `fn daemon`: not the banned APIs.

fn fork(items: &[u32]) -> (Vec<u32>, Vec<u32>) {
    items.iter().partition(|i| *i % 2 == 0)
}

fn setsid() -> u64 {
    42
}

fn daemon() -> &'static str {
    "not a daemon"
}

#[twelve_factor::main]
async fn main() {
    let (even, odd) = fork(&[1, 2, 3]);
    assert_eq!(even.len() + odd.len(), 3);
    assert_eq!(setsid(), 42);
    assert!(!daemon().is_empty());
}
