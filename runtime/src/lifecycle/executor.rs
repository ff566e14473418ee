//! The tokio runtime `main` runs on, built from the spec's flavour, and the one `block_on`.

use crate::lifecycle::spec::{Flavor, MainSpec};
use std::future::Future;

/// Builds the runtime; its worker threads start while the rest of the start-up runs.
pub(crate) fn build(spec: &MainSpec) -> std::io::Result<tokio::runtime::Runtime> {
    let mut builder = match spec.flavor {
        Flavor::CurrentThread | Flavor::Local | Flavor::Actix => {
            tokio::runtime::Builder::new_current_thread()
        }
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

/// Runs `future` to completion on `runtime`: inside a `LocalSet` for `flavor = "local"` (so
/// `tokio::task::spawn_local` works in `main`), inside an actix `System` for
/// `flavor = "actix"`. The runtime is never dropped: the process exits right after, and
/// dropping it would wait for blocking threads.
pub(crate) fn block_on<F: Future>(
    runtime: tokio::runtime::Runtime,
    flavor: Flavor,
    future: F,
) -> F::Output {
    let runtime: &'static tokio::runtime::Runtime = Box::leak(Box::new(runtime));
    match flavor {
        #[cfg(feature = "actix")]
        Flavor::Actix => {
            let system = actix_rt::System::with_tokio_rt(move || runtime);
            let output = system.block_on(future);
            // Stopping the System would wait for its arbiters; the process exits right after.
            std::mem::forget(system);
            output
        }
        // Without the feature the attribute refuses the flavour at compile time.
        #[cfg(not(feature = "actix"))]
        Flavor::Actix => tokio::task::LocalSet::new().block_on(runtime, future),
        Flavor::Local => tokio::task::LocalSet::new().block_on(runtime, future),
        Flavor::CurrentThread | Flavor::MultiThread => runtime.block_on(future),
    }
}
