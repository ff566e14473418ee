// A struct that does not derive Config, as main's second argument.
struct Settings {
    database_url: String,
}

#[twelve_factor::main]
async fn main(app: twelve_factor::App, settings: Settings) {
    let _ = (app, settings.database_url);
}
