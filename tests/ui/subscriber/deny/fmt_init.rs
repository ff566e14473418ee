// The most common setup in tokio's and mini-redis-style examples: `fmt::init()` first thing in
// `main`. Under the attribute it would panic at start; it is a compile error that says what to do.

#[twelve_factor::main]
async fn main() {
    tracing_subscriber::fmt::init();
    tracing::info!("listening");
}
