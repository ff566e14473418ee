//! The `process` field of JSON lines: the selected process type (`"process":"worker"`), first
//! in every object. Added to the formatted line on its way to the writer, so it costs one copy
//! of the line and nothing when the binary has no process types.

use crate::log::writer::QueuedStdout;
use std::io::{self, Write};
use std::sync::Arc;
use tracing_subscriber::fmt::MakeWriter;

/// The writer of JSON lines: each line that opens an object gets `"process":"NAME",` first.
#[derive(Clone)]
pub(crate) struct WithProcess {
    inner: QueuedStdout,
    /// `"process":"NAME",`, or `None` for a binary without process types.
    field: Option<Arc<str>>,
}

impl WithProcess {
    /// Lines through `inner`, carrying `process` when there is one.
    pub(crate) fn new(inner: QueuedStdout, process: Option<&str>) -> WithProcess {
        let field = process.map(|name| {
            let escaped: String = name
                .chars()
                .flat_map(|c| match c {
                    '"' | '\\' => vec!['\\', c],
                    c if c.is_control() => Vec::new(),
                    c => vec![c],
                })
                .collect();
            Arc::from(format!("\"process\":\"{escaped}\","))
        });
        WithProcess { inner, field }
    }
}

/// One line being written: the field goes in at its first byte.
pub(crate) struct Line<W> {
    inner: W,
    field: Option<Arc<str>>,
}

impl<W: Write> Write for Line<W> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        match (self.field.take(), bytes.split_first()) {
            (Some(field), Some((b'{', rest))) => {
                let mut line = Vec::with_capacity(bytes.len() + field.len());
                line.push(b'{');
                line.extend_from_slice(field.as_bytes());
                line.extend_from_slice(rest);
                self.inner.write_all(&line)?;
                Ok(bytes.len())
            }
            _ => self.inner.write(bytes),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl<'a> MakeWriter<'a> for WithProcess {
    type Writer = Line<<QueuedStdout as MakeWriter<'a>>::Writer>;

    fn make_writer(&'a self) -> Self::Writer {
        Line {
            inner: self.inner.make_writer(),
            field: self.field.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_field_opens_the_object() {
        let mut out = Vec::new();
        let mut line = Line {
            inner: &mut out,
            field: Some(Arc::from("\"process\":\"worker\",")),
        };
        line.write_all(b"{\"level\":\"INFO\"}\n").unwrap();
        line.write_all(b"{not first}").unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\"process\":\"worker\",\"level\":\"INFO\"}\n{not first}"
        );
    }
}
