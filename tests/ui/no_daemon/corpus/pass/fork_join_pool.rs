// Mirrors: a data-parallel library's fork-join primitive: the user's own `pool::fork(a, b)`
// runs two closures on scoped threads; no process is created.

mod pool;

use pool::fork;

fn sum(values: &[u64]) -> u64 {
    if values.len() < 4 {
        return values.iter().sum();
    }
    let (left, right) = values.split_at(values.len() / 2);
    let (a, b) = fork(|| sum(left), || sum(right));
    a + b
}

#[twelve_factor::main]
async fn main() {
    assert_eq!(sum(&(1..=100).collect::<Vec<_>>()), 5050);
}
