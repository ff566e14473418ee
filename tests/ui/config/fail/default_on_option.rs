#[derive(twelve_factor::Config)]
struct Settings {
    #[config(default = "http://localhost")]
    upstream: Option<String>,
}

fn main() {}
