//! Fork-join on scoped threads.

pub fn fork<A, B, RA, RB>(a: A, b: B) -> (RA, RB)
where
    A: FnOnce() -> RA + Send,
    B: FnOnce() -> RB + Send,
    RA: Send,
    RB: Send,
{
    std::thread::scope(|scope| {
        let right = scope.spawn(b);
        let left = a();
        (left, right.join().expect("right half"))
    })
}
