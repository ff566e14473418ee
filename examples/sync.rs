//! A synchronous `fn main`: plain blocking code, with the same signals, deadline and exit codes.
//! `main` runs on a blocking thread while the runtime watches for signals.
//!
//! ```sh
//! cargo run --example sync
//! ```

use std::time::Duration;

#[twelve_factor::main]
fn main(app: twelve_factor::App) -> Result<(), std::io::Error> {
    app.ready();
    let mut ticks = 0_u64;
    while !app.is_shutting_down() {
        std::thread::sleep(Duration::from_millis(100));
        ticks += 1;
        if ticks.is_multiple_of(50) {
            tracing::info!(ticks, "still working");
        }
    }
    tracing::info!(ticks, "stopping");
    Ok(())
}
