fn layer() -> twelve_factor::LogLayer {
    Box::new(tracing_subscriber::layer::Identity::new())
}

#[twelve_factor::main(log = "off", layer = layer)]
async fn main() {}
