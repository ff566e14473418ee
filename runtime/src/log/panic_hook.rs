//! The panic hook: a panic becomes an error event with its message, location and thread, so it
//! reaches the same place as every other log line.

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
        if backtrace.status() == std::backtrace::BacktraceStatus::Captured {
            tracing::error!(target: "twelve_factor", panic = message, hint, location, thread, backtrace = ?backtrace, "panicked");
        } else {
            tracing::error!(target: "twelve_factor", panic = message, hint, location, thread, "panicked");
        }
        if keep_default && !tracing::dispatcher::has_been_set() {
            default(info);
        }
    }));
}

