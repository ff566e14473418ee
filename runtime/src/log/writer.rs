//! The `MakeWriter` the subscriber writes through: each event becomes one line on a bounded
//! queue, so that logging never blocks the service. When [`CAPACITY`] lines are waiting, new
//! ones are dropped and counted (the worker reports the count once stdout drains). The thread
//! that writes the queue to stdout, and the flush at exit, are in `worker.rs`.

use std::cell::Cell;
use std::io::{self, Write};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, SyncSender};
use std::sync::{Arc, Mutex, OnceLock};
use tracing_subscriber::fmt::MakeWriter;

/// Lines held while stdout is not accepting them (≈ a few MiB of typical lines). The queue
/// grows on demand up to this bound, so an idle service pays nothing for it.
const CAPACITY: usize = 16 * 1024;

/// What the queue carries to the writer thread.
pub(crate) enum Message {
    Line(Vec<u8>),
    Flush(SyncSender<()>),
}

/// The `MakeWriter` handed to tracing-subscriber.
#[derive(Clone)]
pub(crate) struct QueuedStdout {
    pub(crate) queue: Arc<Queue>,
}

pub(crate) struct Queue {
    pub(crate) sender: Sender<Message>,
    /// Starts the writer thread (the worker's); `false` when it cannot start.
    pub(crate) start: fn(&Arc<Queue>) -> bool,
    /// Taken by the writer thread, which starts with the first line: a process that has not
    /// logged yet (one still binding its port) pays nothing for it.
    pub(crate) receiver: Mutex<Option<Receiver<Message>>>,
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
        self.sender.send(message).map_err(|error| {
            self.queued.fetch_sub(1, Ordering::AcqRel);
            error.0
        })
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
        Message::Flush(done) => {
            let _ = out.flush();
            let _ = done.send(());
        }
    }
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
            buffer: Vec::with_capacity(256),
        }
    }
}

