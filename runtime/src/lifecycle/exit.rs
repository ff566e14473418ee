//! The one way out of the process: flush the log, then exit.

/// Flushes what can be flushed and ends the process with `code`.
pub(crate) fn exit(code: i32) -> ! {
    // Queued log lines get a bounded chance to reach stdout. Nothing here may take the stdout
    // lock: the writer thread can hold it, blocked on a pipe nobody reads, and std's own exit
    // flush only try-locks it.
    crate::log::worker::flush();
    std::process::exit(code)
}
