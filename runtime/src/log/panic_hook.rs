//! The panic hook: a panic becomes an error event with its message, location and thread, so it
//! reaches the same place as every other log line. A panic inside a part of the process that
//! has a name (a worker) is that part's one failure event: `worker "outbox" failed: panicked: …`.

use std::future::Future;
use std::sync::Arc;

tokio::task_local! {
    /// The part of the process the running task belongs to (`worker "outbox"`), if any.
    static PART: Arc<str>;
}

/// Runs `work` as the part `label`: a panic in it is logged as `{label} failed: panicked: …`,
/// the one error event of that failure.
pub(crate) fn in_part<F: Future>(label: Arc<str>, work: F) -> impl Future<Output = F::Output> {
    PART.scope(label, work)
}

/// Panics are logged as error events with their message, location and thread, so they reach
/// the same place as every other log line. With logging `Off` the program's own subscriber gets
/// the event, and the default hook still prints to stderr if no subscriber was installed.
pub(crate) fn install(keep_default: bool) {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| info.payload().downcast_ref::<String>().map(String::as_str))
            .unwrap_or("Box<dyn Any>");
        let location = info
            .location()
            .map(|location| location.to_string())
            .unwrap_or_default();
        let thread = std::thread::current();
        let thread = thread.name().unwrap_or("<unnamed>");
        // tokio's panic for `spawn_local` outside a `LocalSet` (as on `flavor = "current_thread"`)
        // names tokio's types; say which flavor provides one.
        let hint = message
            .contains("`spawn_local` called from outside")
            .then_some("use #[twelve_factor::main(flavor = \"local\")] to run main in a LocalSet");
        let backtrace = std::backtrace::Backtrace::capture();
        // Only a captured backtrace is a field (`None` fields are left out, like `hint`).
        let backtrace = (backtrace.status() == std::backtrace::BacktraceStatus::Captured)
            .then(|| tracing::field::debug(&backtrace));
        if let Ok(part) = PART.try_with(Arc::clone) {
            let error = format!("panicked: {message}");
            tracing::error!(target: "twelve_factor", %error, location, thread, backtrace, "{part} failed: {error}");
        } else {
            tracing::error!(target: "twelve_factor", panic = message, hint, location, thread, backtrace, "panicked");
        }
        if keep_default && !tracing::dispatcher::has_been_set() {
            default(info);
        }
    }));
}

