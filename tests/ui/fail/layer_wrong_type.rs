fn layer() -> tracing_subscriber::layer::Identity {
    tracing_subscriber::layer::Identity::new()
}

#[twelve_factor::main(layer = layer)]
async fn main() {}
