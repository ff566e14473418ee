// A derive error on a struct read with `from_env`: the derive's error only.
#[derive(twelve_factor::Config)]
struct Settings {
    #[config(unknown = "x")]
    level: u8,
}

fn main() {
    let level = Settings::from_env().map(|settings| settings.level);
    let _ = level;
}
