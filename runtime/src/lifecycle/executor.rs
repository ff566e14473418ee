//! The tokio runtime `main` runs on, built from the spec's flavour, and the one `block_on`.

use crate::lifecycle::spec::{Flavor, MainSpec};
use std::future::Future;

/// Builds the runtime; its worker threads start while the rest of the start-up runs.
pub(crate) fn build(spec: &MainSpec) -> std::io::Result<tokio::runtime::Runtime> {
    let mut builder = match spec.flavor {
        Flavor::CurrentThread | Flavor::Local => tokio::runtime::Builder::new_current_thread(),
        Flavor::MultiThread => tokio::runtime::Builder::new_multi_thread(),
    };
    if let Some(threads) = spec.worker_threads {
        builder.worker_threads(threads);
    }
    if let Some(name) = spec.thread_name {
        builder.thread_name(name);
    }
    builder.enable_all().build()
}

/// Runs `future` to completion on `runtime`, inside a `LocalSet` for `flavor = "local"` (so
/// `tokio::task::spawn_local` works in `main`).
pub(crate) fn block_on<F: Future>(
    runtime: &tokio::runtime::Runtime,
    flavor: Flavor,
    future: F,
) -> F::Output {
    match flavor {
        Flavor::Local => tokio::task::LocalSet::new().block_on(runtime, future),
        Flavor::CurrentThread | Flavor::MultiThread => runtime.block_on(future),
    }
}
