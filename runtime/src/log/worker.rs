//! The writer thread, which moves queued log lines to stdout, and the flush at exit. The thread
//! starts with the first line: a process that has not logged yet (one still binding its port)
//! pays nothing for it. At exit the queue is flushed for up to [`FLUSH_TIMEOUT`], so the last
//! lines (the shutdown, the exit reason) are written whenever stdout is being read at all.

use crate::log::writer::{lock, Flushed, Message, Queue, QueuedStdout, ON_WRITER_THREAD};
use std::collections::VecDeque;
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

/// How long the exit waits for queued lines to reach stdout.
const FLUSH_TIMEOUT: Duration = Duration::from_secs(1);

static INSTALLED: OnceLock<QueuedStdout> = OnceLock::new();

/// Returns the writer for the subscriber (one per process); the writer thread starts with the
/// first line.
pub(crate) fn install() -> QueuedStdout {
    INSTALLED
        .get_or_init(|| QueuedStdout {
            queue: Arc::new(Queue {
                waiting: Mutex::new(VecDeque::new()),
                wake: Condvar::new(),
                idle: AtomicBool::new(false),
                flushing: AtomicBool::new(false),
                start,
                direct: OnceLock::new(),
                queued: AtomicUsize::new(0),
                dropped: AtomicU64::new(0),
            }),
            ansi: false,
        })
        .clone()
}

/// Starts the writer thread for `queue`; `false` when it cannot start.
fn start(queue: &Arc<Queue>) -> bool {
    let queue = queue.clone();
    let spawned = std::thread::Builder::new()
        .name("twelve-factor-stdout".to_owned())
        .spawn(move || write_lines(&queue));
    if let Err(error) = &spawned {
        let _ = writeln!(
            io::stderr(),
            "cannot start the log writer thread ({error}): writing log lines directly to stdout"
        );
    }
    spawned.is_ok()
}

/// Writes out what [`write_lines`] has gathered once this much is waiting.
const WRITE_AT: usize = 64 * 1024;

/// How long the writer thread lets lines gather after writing a batch, before it looks at the
/// queue again. Lines queued meanwhile wake nobody: under load the thread wakes about once per
/// `LINGER` instead of once per line (each wake-up is a system call and a context switch on
/// the thread that logs). A line waits at most this long to reach stdout; a flush (the exit's)
/// does not wait for it.
const LINGER: Duration = Duration::from_millis(1);

/// Writes queued lines for the rest of the process: everything queued since the last look is
/// taken at once and written in as few `write` calls as its size allows, then the thread
/// lingers for [`LINGER`] before it looks again or waits to be woken. Write errors (a closed
/// stdout: EPIPE) are ignored: the service must keep running without its log reader.
fn write_lines(queue: &Queue) -> ! {
    // Started by whichever thread logs first; like the runtime's threads, it leaves the shutdown
    // signals to the main thread.
    crate::platform::sigmask::hold();
    ON_WRITER_THREAD.with(|flag| flag.set(true));
    let stdout = io::stdout();
    let mut batch = VecDeque::new();
    let mut out = Vec::new();
    let mut linger = false;
    loop {
        {
            let mut waiting = lock(&queue.waiting);
            if linger && !queue.flushing.load(Ordering::Relaxed) {
                waiting = queue
                    .wake
                    .wait_timeout(waiting, LINGER)
                    .unwrap_or_else(PoisonError::into_inner)
                    .0;
            }
            while waiting.is_empty() {
                queue.idle.store(true, Ordering::Relaxed);
                waiting = queue
                    .wake
                    .wait(waiting)
                    .unwrap_or_else(PoisonError::into_inner);
            }
            queue.idle.store(false, Ordering::Relaxed);
            queue.flushing.store(false, Ordering::Relaxed);
            std::mem::swap(&mut *waiting, &mut batch);
        }
        for message in batch.drain(..) {
            // Counted out one by one, as they reach `out`: the lines taken and not yet written
            // stay within the queue's bound.
            queue.queued.fetch_sub(1, Ordering::AcqRel);
            match message {
                Message::Line(line) => {
                    out.extend_from_slice(&line);
                    if out.len() >= WRITE_AT {
                        write_out(&stdout, &mut out);
                    }
                }
                Message::Flush(flushed) => {
                    write_out(&stdout, &mut out);
                    let _ = stdout.lock().flush();
                    flushed.set();
                }
            }
        }
        write_out(&stdout, &mut out);
        out.shrink_to(WRITE_AT);
        let dropped = queue.dropped.swap(0, Ordering::Relaxed);
        if dropped > 0 {
            tracing::warn!(
                target: "twelve_factor",
                dropped,
                "dropped {dropped} log lines while stdout was not being read"
            );
        }
        linger = true;
    }
}

/// Writes `out` to stdout and empties it.
fn write_out(stdout: &io::Stdout, out: &mut Vec<u8>) {
    if out.is_empty() {
        return;
    }
    let mut stdout = stdout.lock();
    let _ = stdout.write_all(out);
    let _ = stdout.flush();
    out.clear();
}

/// Waits (up to [`FLUSH_TIMEOUT`]) for the queued lines to be written; a no-op when logging
/// never went through the queue.
pub(crate) fn flush() {
    let Some(installed) = INSTALLED.get() else {
        return;
    };
    if installed.queue.direct.get().is_none() {
        // Nothing was ever logged through the queue.
        return;
    }
    let deadline = Instant::now() + FLUSH_TIMEOUT;
    let flushed = Arc::new(Flushed::default());
    if installed
        .queue
        .push(Message::Flush(flushed.clone()), true)
        .is_err()
    {
        return;
    }
    let done = lock(&flushed.done);
    let _ = flushed
        .signal
        .wait_timeout_while(done, deadline.saturating_duration_since(Instant::now()), |done| {
            !*done
        });
}

#[cfg(test)]
mod tests {
    use super::*;
    use tracing_subscriber::fmt::MakeWriter;

    #[test]
    fn the_writer_thread_starts_with_the_first_line() {
        let writer = install();
        assert!(
            writer.queue.direct.get().is_none(),
            "installing the writer must not start its thread"
        );
        let mut line = writer.make_writer();
        line.write_all(b"twelve-factor stdout writer test line\n")
            .unwrap();
        drop(line);
        assert_eq!(writer.queue.direct.get(), Some(&false), "the thread started");
        // The line was queued and is written by the thread: a flush waits for it.
        flush();
        assert_eq!(writer.queue.queued.load(Ordering::Acquire), 0);
    }
}
