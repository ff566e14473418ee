// Threads and tasks are fine: they stay in the process the manager supervises.

#[twelve_factor::main]
async fn main() {
    let thread = std::thread::spawn(|| 1 + 1);
    let task = tokio::spawn(async { 2 + 2 });
    assert_eq!(thread.join().ok(), Some(2));
    assert_eq!(task.await.ok(), Some(4));
}
