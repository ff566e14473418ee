// `multi_thread` with `worker_threads`, and `log = "off"` with the program's own subscriber.
#[twelve_factor::main(flavor = "multi_thread", worker_threads = 2, log = "off", shutdown_timeout = "2m")]
async fn main(app: twelve_factor::App) {
    assert_eq!(app.shutdown_timeout(), std::time::Duration::from_secs(120));
    let on_worker = tokio::spawn(async { std::thread::current().name().map(str::to_owned) });
    assert!(on_worker.await.is_ok());
}
