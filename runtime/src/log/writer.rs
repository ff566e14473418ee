//! Log lines reach stdout through a bounded queue and a writer thread, so that logging never
//! blocks the service: a full pipe (a log shipper that stopped reading) or a closed stdout
//! cannot stall request handlers, the drain, or the deadline.
//!
//! When the queue is full, new lines are dropped and counted; the writer reports the count in a
//! warning as soon as stdout accepts lines again. At exit the queue is flushed for up to
//! [`FLUSH_TIMEOUT`], so the last lines (the shutdown, the exit reason) are written whenever
//! stdout is being read at all.

use std::cell::Cell;
use std::io::{self, Write};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{channel, sync_channel, Receiver, Sender, SyncSender};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};
use tracing_subscriber::fmt::MakeWriter;

/// Lines held while stdout is not accepting them (≈ a few MiB of typical lines). The queue
/// grows on demand up to this bound, so an idle service pays nothing for it.
const CAPACITY: usize = 16 * 1024;

/// How long the exit waits for queued lines to reach stdout.
const FLUSH_TIMEOUT: Duration = Duration::from_secs(1);

enum Message {
    Line(Vec<u8>),
    Flush(SyncSender<()>),
}

/// The `MakeWriter` handed to tracing-subscriber.
#[derive(Clone)]
pub(crate) struct QueuedStdout {
    queue: Arc<Queue>,
}

struct Queue {
    sender: Sender<Message>,
    /// Taken by the writer thread, which starts with the first line: a process that has not
    /// logged yet (one still binding its port) pays nothing for it.
    receiver: Mutex<Option<Receiver<Message>>>,
    /// Set by the first line: `true` when the writer thread could not start, and lines are then
    /// written where they are made.
    direct: OnceLock<bool>,
    /// Lines sent and not yet written; kept at most [`CAPACITY`].
    queued: AtomicUsize,
    dropped: AtomicU64,
}

thread_local! {
    /// Set on the writer thread: its own event (the dropped-lines warning) is always queued,
    /// never dropped, or the count it reports would be lost in the same full queue.
    static ON_WRITER_THREAD: Cell<bool> = const { Cell::new(false) };
}

impl Queue {
    /// Queues `message` unless [`CAPACITY`] lines are already waiting.
    fn push(self: &Arc<Self>, message: Message, always: bool) -> Result<(), Message> {
        if *self.direct.get_or_init(|| !self.start_writer()) {
            write_direct(message);
            return Ok(());
        }
        let waiting = self.queued.fetch_add(1, Ordering::AcqRel);
        if !always && waiting >= CAPACITY {
            self.queued.fetch_sub(1, Ordering::AcqRel);
            return Err(message);
        }
        self.sender.send(message).map_err(|error| {
            self.queued.fetch_sub(1, Ordering::AcqRel);
            error.0
        })
    }

    /// Starts the writer thread; `false` when it cannot start.
    fn start_writer(self: &Arc<Self>) -> bool {
        let receiver = self
            .receiver
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        let Some(receiver) = receiver else {
            return false;
        };
        let queue = self.clone();
        let spawned = std::thread::Builder::new()
            .name("twelve-factor-stdout".to_owned())
            .spawn(move || write_lines(&receiver, &queue));
        if let Err(error) = &spawned {
            let _ = writeln!(
                io::stderr(),
                "cannot start the log writer thread ({error}): writing log lines directly to stdout"
            );
        }
        spawned.is_ok()
    }
}

static INSTALLED: OnceLock<QueuedStdout> = OnceLock::new();

impl QueuedStdout {
    /// Returns the writer for the subscriber (one per process); the writer thread starts with
    /// the first line.
    pub(crate) fn install() -> QueuedStdout {
        INSTALLED
            .get_or_init(|| {
                let (sender, receiver) = channel();
                QueuedStdout {
                    queue: Arc::new(Queue {
                        sender,
                        receiver: Mutex::new(Some(receiver)),
                        direct: OnceLock::new(),
                        queued: AtomicUsize::new(0),
                        dropped: AtomicU64::new(0),
                    }),
                }
            })
            .clone()
    }
}

/// Without a writer thread: the line goes to stdout from the thread that made it.
fn write_direct(message: Message) {
    let mut out = io::stdout().lock();
    match message {
        Message::Line(line) => {
            let _ = out.write_all(&line);
            let _ = out.flush();
        }
        Message::Flush(done) => {
            let _ = out.flush();
            let _ = done.send(());
        }
    }
}

/// Writes queued lines until every sender is gone. Write errors (a closed stdout: EPIPE) are
/// ignored: the service must keep running without its log reader.
fn write_lines(receiver: &Receiver<Message>, queue: &Queue) {
    // Started by whichever thread logs first; like the runtime's threads, it leaves the shutdown
    // signals to the main thread.
    crate::signals::hold();
    ON_WRITER_THREAD.with(|flag| flag.set(true));
    let stdout = io::stdout();
    for message in receiver {
        queue.queued.fetch_sub(1, Ordering::AcqRel);
        match message {
            Message::Line(line) => {
                let mut out = stdout.lock();
                let _ = out.write_all(&line);
                let _ = out.flush();
                drop(out);
                let dropped = queue.dropped.swap(0, Ordering::Relaxed);
                if dropped > 0 {
                    tracing::warn!(
                        target: "twelve_factor",
                        dropped,
                        "dropped {dropped} log lines while stdout was not being read"
                    );
                }
            }
            Message::Flush(done) => {
                let _ = stdout.lock().flush();
                let _ = done.send(());
            }
        }
    }
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
    let (done, flushed) = sync_channel(1);
    if installed.queue.push(Message::Flush(done), true).is_err() {
        return;
    }
    let _ = flushed.recv_timeout(deadline.saturating_duration_since(Instant::now()));
}

/// One event's writer: tracing-subscriber formats the whole line, then writes it once.
pub(crate) struct Line {
    queue: Arc<Queue>,
    buffer: Vec<u8>,
}

impl Write for Line {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
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
            buffer: Vec::with_capacity(256),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_writer_thread_starts_with_the_first_line() {
        let writer = QueuedStdout::install();
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
