// A subscriber held in a variable and installed through `SubscriberInitExt` (brought in by the
// prelude glob): the `.init()` on the variable is the installer.

use tracing_subscriber::prelude::*;

#[twelve_factor::main]
async fn main() {
    let filter = tracing_subscriber::EnvFilter::new("info");
    let subscriber = tracing_subscriber::registry()
        .with(filter)
        .with(tracing_subscriber::fmt::layer().compact());
    subscriber.init();
}
