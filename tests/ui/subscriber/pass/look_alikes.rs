// Things named `init` or touching tracing that install no global subscriber: a user's own
// `init`, a scoped default, a subscriber built but not installed, layers, and a `.init()` on a
// value in a file that never imports `SubscriberInitExt`.

use tracing_subscriber::fmt;

struct Config {
    ready: bool,
}

impl Config {
    fn init() -> Config {
        Config { ready: true }
    }

    fn try_init(&mut self) -> bool {
        self.ready
    }
}

mod rand {
    pub fn init() -> u32 {
        4
    }
}

#[twelve_factor::main]
async fn main() {
    let mut config = Config::init();
    assert!(config.try_init());
    assert_eq!(rand::init(), 4);
    let subscriber = fmt().with_target(false).finish();
    tracing::subscriber::with_default(subscriber, || tracing::info!("scoped"));
    let _layer = fmt::layer::<tracing_subscriber::Registry>();
    tracing::info!("the attribute's subscriber");
}
