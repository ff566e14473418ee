// Defaults the macro can check are checked at compile time.
#[derive(twelve_factor::Config)]
struct Settings {
    #[config(default = "maybe")]
    dry_run: bool,
    #[config(default = "30 seconds")]
    cache_ttl: std::time::Duration,
    #[config(default = "70000")]
    workers: u16,
    #[config(default = "1,two")]
    shards: Vec<u8>,
}

fn main() {}
