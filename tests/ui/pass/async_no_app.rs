// `async fn main()` without `App`: ready at start, returns at once, exits 0.
#[twelve_factor::main]
async fn main() {
    tracing::info!("ran");
}
