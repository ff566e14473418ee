//! Log lines reach stdout through a bounded queue and a writer thread, so that logging never
//! blocks the service: a full pipe (a log shipper that stopped reading) or a closed stdout
//! cannot stall request handlers, the drain, or the deadline.
//!
//! When the queue is full, new lines are dropped and counted; the writer reports the count in a
//! warning as soon as stdout accepts lines again. At exit the queue is flushed for up to
//! [`FLUSH_TIMEOUT`], so the last lines (the shutdown, the exit reason) are written whenever
//! stdout is being read at all.

use std::io::{self, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};
use tracing_subscriber::fmt::MakeWriter;

/// Lines held while stdout is not accepting them (≈ a few MiB of typical lines).
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
    sender: SyncSender<Message>,
    dropped: AtomicU64,
}

static INSTALLED: OnceLock<QueuedStdout> = OnceLock::new();

impl QueuedStdout {
    /// Starts the writer thread (once per process) and returns the writer for the subscriber.
    pub(crate) fn install() -> io::Result<QueuedStdout> {
        if let Some(installed) = INSTALLED.get() {
            return Ok(installed.clone());
        }
        let (sender, receiver) = sync_channel(CAPACITY);
        let queue = Arc::new(Queue {
            sender,
            dropped: AtomicU64::new(0),
        });
        let writer_queue = queue.clone();
        std::thread::Builder::new()
            .name("twelve-factor-stdout".to_owned())
            .spawn(move || write_lines(&receiver, &writer_queue))?;
        Ok(INSTALLED.get_or_init(|| QueuedStdout { queue }).clone())
    }
}

/// Writes queued lines until every sender is gone. Write errors (a closed stdout: EPIPE) are
/// ignored: the service must keep running without its log reader.
fn write_lines(receiver: &Receiver<Message>, queue: &Queue) {
    let stdout = io::stdout();
    for message in receiver {
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
    let deadline = Instant::now() + FLUSH_TIMEOUT;
    let (done, flushed) = sync_channel(1);
    let mut message = Message::Flush(done);
    loop {
        match installed.queue.sender.try_send(message) {
            Ok(()) => break,
            Err(TrySendError::Full(returned)) if Instant::now() < deadline => {
                message = returned;
                std::thread::sleep(Duration::from_millis(1));
            }
            Err(_) => return,
        }
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
        let line = std::mem::take(&mut self.buffer);
        if let Err(TrySendError::Full(_)) = self.queue.sender.try_send(Message::Line(line)) {
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
