// Names the runtime reads itself: by field name, by `env`, and by family.
#[derive(twelve_factor::Config)]
struct Settings {
    port: u16,
    #[config(env = "RUST_LOG")]
    log_filter: String,
    #[config(env = "SHUTDOWN_TIMEOUT")]
    grace: std::time::Duration,
    watchdog_usec: u64,
    health_port: u16,
}

fn main() {}
