// `layer = path`: the service's own tracing layer sees the events beside the runtime's format.
use std::sync::atomic::{AtomicUsize, Ordering};
use tracing_subscriber::layer::Context;
use tracing_subscriber::Registry;

static SEEN: AtomicUsize = AtomicUsize::new(0);

struct Count;

impl tracing_subscriber::Layer<Registry> for Count {
    fn on_event(&self, _event: &tracing::Event<'_>, _ctx: Context<'_, Registry>) {
        SEEN.fetch_add(1, Ordering::Relaxed);
    }
}

mod telemetry {
    pub fn layer() -> twelve_factor::LogLayer {
        Box::new(super::Count)
    }
}

#[twelve_factor::main(port = 0, layer = telemetry::layer)]
async fn main(_app: twelve_factor::App) {
    let before = SEEN.load(Ordering::Relaxed);
    tracing::info!("seen by the service's layer");
    assert_eq!(SEEN.load(Ordering::Relaxed), before + 1);
}
