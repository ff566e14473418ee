// A synchronous main with a configuration, and a struct without prefix or docs.

#[derive(twelve_factor::Config)]
struct Settings {
    #[config(default = "100")]
    batch_size: u32,
    queue_url: String,
}

mod service {
    #[allow(unused_imports)]
    use super::*;

    #[twelve_factor::main]
    pub fn main(_app: twelve_factor::App, settings: Settings) -> Result<(), String> {
        let _ = (settings.batch_size, settings.queue_url);
        Ok(())
    }
}

// The generated `service::main()` reads the environment and exits: compiled here, not run.
fn main() {
    let _: fn() = service::main;
}
