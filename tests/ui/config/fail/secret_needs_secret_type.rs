#[derive(Debug, twelve_factor::Config)]
struct Settings {
    #[config(secret)]
    api_token: String,
}

fn main() {}
