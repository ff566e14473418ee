// `flavor = "local"`: `main` runs in a `LocalSet`, so `!Send` tasks can be spawned locally.
use std::rc::Rc;

#[twelve_factor::main(flavor = "local")]
async fn main() {
    let shared = Rc::new(5);
    let task = tokio::task::spawn_local({
        let shared = Rc::clone(&shared);
        async move { *shared + 1 }
    });
    assert_eq!(task.await.unwrap(), 6);
}
