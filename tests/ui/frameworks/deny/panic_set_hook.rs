// A panic hook of the service's own replaces the attribute's (which logs panics on stdout).
#[twelve_factor::main]
async fn main() {
    std::panic::set_hook(Box::new(|info| eprintln!("crashed: {info}")));
}
