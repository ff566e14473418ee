// axum's examples: a registry with an env filter (falling back to a default) and a fmt layer.

use tracing_subscriber::{layer::SubscriberExt, util::SubscriberInitExt};

#[twelve_factor::main]
async fn main() {
    tracing_subscriber::registry()
        .with(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "example=debug,tower_http=debug".into()),
        )
        .with(tracing_subscriber::fmt::layer())
        .init();
}
