// Raw-identifier keys and a bare number of seconds.
#[twelve_factor::main(r#port = 4000, shutdown_timeout = "7")]
async fn main(app: twelve_factor::App) {
    assert_eq!(app.shutdown_timeout(), std::time::Duration::from_secs(7));
}
