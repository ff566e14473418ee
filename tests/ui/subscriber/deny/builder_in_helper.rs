// The builder from tracing's own README, in a helper function of the same file: a subscriber
// built, then set as the global default.

use tracing::Level;
use tracing_subscriber::FmtSubscriber;

fn setup_tracing() {
    let subscriber = FmtSubscriber::builder()
        .with_max_level(Level::TRACE)
        .finish();
    tracing::subscriber::set_global_default(subscriber).expect("setting default subscriber failed");
}

fn quiet_setup() -> bool {
    tracing_subscriber::fmt()
        .with_target(false)
        .without_time()
        .try_init()
        .is_ok()
}

#[twelve_factor::main]
async fn main() {
    setup_tracing();
    let _ = quiet_setup();
}
