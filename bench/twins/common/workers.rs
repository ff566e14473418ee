//! The two workers both formation twins run (included with `#[path]`): an outbox flushed every
//! 100 ms and a dispatcher running one 100 ms job at a time, each ending when its token is
//! cancelled.

use super::CancellationToken;
use std::time::Duration;

/// Flushes every 100 ms until `stop`, then once more.
pub async fn outbox(stop: CancellationToken) -> Result<(), std::io::Error> {
    let mut flushed = 0_u64;
    loop {
        tokio::select! {
            () = stop.cancelled() => break,
            () = tokio::time::sleep(Duration::from_millis(100)) => flushed += 1,
        }
    }
    tracing::debug!(flushed, "outbox stopped");
    Ok(())
}

/// One 100 ms job at a time; the stop is looked at between jobs.
pub async fn dispatcher(stop: CancellationToken) -> Result<(), std::io::Error> {
    let mut jobs = 0_u64;
    while !stop.is_cancelled() {
        tokio::select! {
            () = stop.cancelled() => break,
            () = tokio::time::sleep(Duration::from_millis(100)) => jobs += 1,
        }
    }
    tracing::debug!(jobs, "dispatcher stopped");
    Ok(())
}
