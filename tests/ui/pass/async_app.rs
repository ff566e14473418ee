// `async fn main(app: App)`: the App reports its configuration.
#[twelve_factor::main(port = 0)]
async fn main(app: twelve_factor::App) {
    assert_eq!(app.addr().port(), app.port());
    assert!(!app.is_shutting_down());
}
