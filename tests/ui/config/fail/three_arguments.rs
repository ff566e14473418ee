#[derive(twelve_factor::Config)]
struct Settings {
    #[config(default = "1")]
    level: u8,
}

#[twelve_factor::main]
async fn main(_app: twelve_factor::App, _settings: Settings, _extra: u8) {}
