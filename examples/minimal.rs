//! The shortest form: `async fn main()` without `App`. It is ready at start (systemd gets
//! READY=1 at once), and since it cannot see the shutdown coming, the shutdown cancels it.
//!
//! ```sh
//! cargo run --example minimal         # Ctrl-C to stop
//! ```

use std::time::Duration;

#[twelve_factor::main]
async fn main() {
    let mut beats = 0_u64;
    loop {
        beats += 1;
        tracing::info!(beats, "still alive");
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}
