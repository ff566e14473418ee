// A reference: one error on its type.
#[twelve_factor::main]
async fn main(app: &twelve_factor::App) {
    let _ = app;
}
