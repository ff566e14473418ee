// `crate = "…"` when the facade is renamed; `from_env`/`from_map` without importing the trait.
extern crate twelve_factor as tf;

#[derive(tf::Config)]
#[config(crate = "tf", prefix = "APP_")]
struct Settings {
    #[config(default = "on")]
    verbose: bool,
}

fn main() {
    let _ = Settings::from_env();
    let _ = Settings::from_map([("APP_VERBOSE", "off")]);
}
