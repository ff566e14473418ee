#[derive(twelve_factor::Config)]
#[config(prefix = "my-app.")]
struct Settings {
    #[config(env = "1ST")]
    first: String,
    #[config(env = "")]
    second: String,
}

fn main() {}
