//! The `MakeWriter` the subscriber writes through: each event becomes one line on a bounded
//! queue, so that logging never blocks the service. When [`CAPACITY`] lines are waiting, new
//! ones are dropped and counted (the worker reports the count once stdout drains). The thread
//! that writes the queue to stdout, and the flush at exit, are in `worker.rs`.

use std::cell::Cell;
use std::collections::VecDeque;
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock, PoisonError};
use tracing_subscriber::fmt::MakeWriter;

/// Lines held while stdout is not accepting them (≈ a few MiB of typical lines). The queue
/// grows on demand up to this bound, so an idle service pays nothing for it.
const CAPACITY: usize = 16 * 1024;

/// What the queue carries to the writer thread.
pub(crate) enum Message {
    Line(Vec<u8>),
    Flush(Arc<Flushed>),
}

/// Set by the writer thread once the lines queued before a [`Message::Flush`] are written.
/// (A mutex and a condition variable rather than `std::sync::mpsc`, whose channel code for its
/// three channel kinds would otherwise be linked into every service.)
#[derive(Default)]
pub(crate) struct Flushed {
    pub(crate) done: Mutex<bool>,
    pub(crate) signal: Condvar,
}

impl Flushed {
    pub(crate) fn set(&self) {
        *lock(&self.done) = true;
        self.signal.notify_all();
    }
}

/// Locks `mutex`, whether or not a thread panicked while holding it.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The `MakeWriter` handed to tracing-subscriber.
#[derive(Clone)]
pub(crate) struct QueuedStdout {
    pub(crate) queue: Arc<Queue>,
    /// The formatter colours its output: its escape sequences (ESC) are kept as they are.
    pub(crate) ansi: bool,
}

impl QueuedStdout {
    /// This writer for a formatter that colours its output (`ansi`) or not.
    pub(crate) fn with_ansi(mut self, ansi: bool) -> QueuedStdout {
        self.ansi = ansi;
        self
    }
}

pub(crate) struct Queue {
    /// Lines waiting for the writer thread, which starts with the first line: a process that
    /// has not logged yet (one still binding its port) pays nothing for it.
    pub(crate) waiting: Mutex<VecDeque<Message>>,
    /// Wakes the writer thread when a line is queued.
    pub(crate) wake: Condvar,
    /// Set by the writer thread while it waits on [`wake`](Queue::wake) for an empty queue;
    /// read and written only under the `waiting` lock. A line queued while the thread is busy
    /// (or lingering after a batch) needs no wake-up (a system call each).
    pub(crate) idle: AtomicBool,
    /// Set when a [`Message::Flush`] is queued, cleared when the writer thread takes it; under
    /// the `waiting` lock too. A flush always wakes the thread, and cuts its linger short.
    pub(crate) flushing: AtomicBool,
    /// Starts the writer thread (the worker's); `false` when it cannot start.
    pub(crate) start: fn(&Arc<Queue>) -> bool,
    /// Set by the first line: `true` when the writer thread could not start, and lines are then
    /// written where they are made.
    pub(crate) direct: OnceLock<bool>,
    /// Lines sent and not yet written; kept at most [`CAPACITY`].
    pub(crate) queued: AtomicUsize,
    pub(crate) dropped: AtomicU64,
}

thread_local! {
    /// Set on the writer thread: its own event (the dropped-lines warning) is always queued,
    /// never dropped, or the count it reports would be lost in the same full queue.
    pub(crate) static ON_WRITER_THREAD: Cell<bool> = const { Cell::new(false) };
}

impl Queue {
    /// Queues `message` unless [`CAPACITY`] lines are already waiting.
    pub(crate) fn push(self: &Arc<Self>, message: Message, always: bool) -> Result<(), Message> {
        if *self.direct.get_or_init(|| !(self.start)(self)) {
            write_direct(message);
            return Ok(());
        }
        let waiting = self.queued.fetch_add(1, Ordering::AcqRel);
        if !always && waiting >= CAPACITY {
            self.queued.fetch_sub(1, Ordering::AcqRel);
            return Err(message);
        }
        let flush = matches!(message, Message::Flush(_));
        let mut waiting = lock(&self.waiting);
        waiting.push_back(message);
        if flush {
            self.flushing.store(true, Ordering::Relaxed);
        }
        let wake = flush || self.idle.load(Ordering::Relaxed);
        drop(waiting);
        if wake {
            self.wake.notify_one();
        }
        Ok(())
    }
}

/// Without a writer thread: the line goes to stdout from the thread that made it.
pub(crate) fn write_direct(message: Message) {
    let mut out = io::stdout().lock();
    match message {
        Message::Line(line) => {
            let _ = out.write_all(&line);
            let _ = out.flush();
        }
        Message::Flush(flushed) => {
            let _ = out.flush();
            flushed.set();
        }
    }
}

/// One event's writer: tracing-subscriber formats the whole line, then writes it once.
pub(crate) struct Line {
    queue: Arc<Queue>,
    buffer: Vec<u8>,
    ansi: bool,
}

/// Keeps one event on one line: control characters inside it (a `\n` in a message or a field
/// value, which could forge a log line of its own) become visible escapes (`\n`, `\r`,
/// `\x1b`); the final newline stays. Tabs stay, and so does ESC when the formatter colours
/// (`ansi`). JSON lines have no raw control characters: this leaves them as they are.
pub(crate) fn escape_controls(line: &mut Vec<u8>, ansi: bool) {
    let body = line.strip_suffix(b"\n").unwrap_or(line).len();
    let needs = |byte: u8| (byte < 0x20 && byte != b'\t' && !(ansi && byte == 0x1b)) || byte == 0x7f;
    if !line[..body].iter().any(|&byte| needs(byte)) {
        return;
    }
    let mut out = Vec::with_capacity(line.len() + 16);
    for &byte in &line[..body] {
        match byte {
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            _ if needs(byte) => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(&[
                    b'\\',
                    b'x',
                    HEX[usize::from(byte >> 4)],
                    HEX[usize::from(byte & 0xf)],
                ]);
            }
            _ => out.push(byte),
        }
    }
    out.extend_from_slice(&line[body..]);
    *line = out;
}

impl Write for Line {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        if self.buffer.is_empty() {
            // The formatter writes the whole line at once: one allocation, with room for the
            // trace ids `decorate` adds.
            self.buffer
                .reserve_exact(bytes.len() + crate::log::otel::DECORATION);
        }
        self.buffer.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Drop for Line {
    fn drop(&mut self) {
        if self.buffer.is_empty() {
            return;
        }
        escape_controls(&mut self.buffer, self.ansi);
        crate::log::otel::decorate(&mut self.buffer);
        let line = Message::Line(std::mem::take(&mut self.buffer));
        let always = ON_WRITER_THREAD.with(Cell::get);
        if self.queue.push(line, always).is_err() {
            self.queue.dropped.fetch_add(1, Ordering::Relaxed);
        }
    }
}

impl<'a> MakeWriter<'a> for QueuedStdout {
    type Writer = Line;

    fn make_writer(&'a self) -> Line {
        Line {
            queue: self.queue.clone(),
            buffer: Vec::new(),
            ansi: self.ansi,
        }
    }
}


#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(line: &[u8], ansi: bool) -> Vec<u8> {
        let mut line = line.to_vec();
        escape_controls(&mut line, ansi);
        line
    }

    #[test]
    fn one_event_stays_one_line() {
        assert_eq!(
            escaped(b"INFO request path=/a\nFAKE line\r\n", false),
            b"INFO request path=/a\\nFAKE line\\r\n"
        );
        assert_eq!(escaped(b"a\x1b[2K\x00\x7fb\n", false), b"a\\x1b[2K\\x00\\x7fb\n");
        // Colours keep their escape sequences; tabs stay; a clean line is left as it is.
        assert_eq!(escaped(b"\x1b[32mINFO\x1b[0m\tx\n", true), b"\x1b[32mINFO\x1b[0m\tx\n");
        assert_eq!(escaped(b"plain line\n", false), b"plain line\n");
        // A JSON line has no raw control characters: unchanged.
        let json = br#"{"message":"a\nFAKE"}"#.to_vec();
        assert_eq!(escaped(&json, false), json);
    }
}
