// A derive error on a struct that `main` takes: the derive's error only; the struct still
// implements `Config` (a stub), so `main` and the field access add nothing.
#[derive(twelve_factor::Config)]
struct Settings {
    #[config(default = "maybe")]
    dry_run: bool,
}

#[twelve_factor::main]
async fn main(app: twelve_factor::App, settings: Settings) {
    let _ = (app.port(), settings.dry_run);
}
