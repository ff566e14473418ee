//! tokio's runtime gauges, from its stable `RuntimeMetrics` API: worker threads, alive tasks
//! and the global queue's depth of the runtime serving `/metrics` (the one `main` runs on).

use crate::metrics::sample;

/// Writes the runtime series; nothing outside a tokio runtime.
pub(super) fn render(page: &mut String) {
    let Ok(handle) = tokio::runtime::Handle::try_current() else {
        return;
    };
    let metrics = handle.metrics();
    sample(
        page,
        "tokio_runtime_workers",
        "gauge",
        "Worker threads of the tokio runtime.",
        metrics.num_workers(),
    );
    sample(
        page,
        "tokio_runtime_alive_tasks",
        "gauge",
        "Tasks alive on the tokio runtime.",
        metrics.num_alive_tasks(),
    );
    sample(
        page,
        "tokio_runtime_global_queue_depth",
        "gauge",
        "Tasks waiting in the tokio runtime's global queue.",
        metrics.global_queue_depth(),
    );
}
