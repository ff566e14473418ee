// The `App` twice: one error, on the second one's type.
#[twelve_factor::main]
async fn main(app: twelve_factor::App, again: twelve_factor::App) {
    let _ = (app, again);
}
