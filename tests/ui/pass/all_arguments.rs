// Every argument at once.
#[twelve_factor::main(port = 3000, flavor = "current_thread", shutdown_timeout = "1500ms", log = "json")]
async fn main(app: twelve_factor::App) {
    assert_eq!(app.shutdown_timeout(), std::time::Duration::from_millis(1500));
    if std::env::var_os("PORT").is_none() {
        assert_eq!(app.port(), 3000);
    }
}
