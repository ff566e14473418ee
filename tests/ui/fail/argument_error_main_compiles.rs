// An argument error is the only error: `main` still expands (with the default settings), so
// its body is type-checked and uses of the `App` add nothing.
#[twelve_factor::main(port = "3000")]
async fn main(app: twelve_factor::App) {
    let port: u16 = app.port();
    let _ = port;
}
