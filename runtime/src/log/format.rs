//! The line format: JSON when asked for (and compiled in), text without timestamps under
//! journald, text otherwise.

use crate::config::runtime_vars::LogFormat;
use crate::log::json;
use crate::log::process_field::WithProcess;
use crate::log::writer::QueuedStdout;
use tracing_subscriber::layer::Layer;
use tracing_subscriber::{fmt, Registry};

/// The format-specific layer, boxed: one subscriber type whatever the format, so the filter and
/// registry code is compiled once rather than once per format.
pub(crate) type BoxedLayer = Box<dyn Layer<Registry> + Send + Sync>;

/// The layer that formats each event for `format`, writing through `writer`. JSON lines carry
/// the process type (`process`); text lines do not: a terminal, honcho's prefix and journald's
/// unit name already say which process wrote them.
pub(crate) fn layer(
    format: LogFormat,
    process: Option<&str>,
    journald: bool,
    ansi: bool,
    writer: QueuedStdout,
) -> BoxedLayer {
    // One event, one line: the writer escapes control characters inside a line (the text
    // formatter writes a field value's newline as is), keeping the colours' ESC when colouring.
    let writer = writer.with_ansi(ansi && format != LogFormat::Json);
    if format == LogFormat::Json {
        // `None` only without the `json` feature, where the configuration refuses
        // `LOG_FORMAT=json` and the attribute refuses `log = "json"` at compile time.
        if let Some(layer) = json::layer(WithProcess::new(writer.clone(), process)) {
            return layer;
        }
    }
    // With or without timestamps, one formatter type: `without_time` turns the stamp off, and
    // `with_timer` restores the timer type while keeping it off, so the text layer's code is
    // compiled once instead of once per choice.
    let text = fmt::format();
    let text = if journald {
        text.without_time().with_timer(fmt::time::SystemTime)
    } else {
        text
    };
    fmt::layer()
        .event_format(text)
        .with_ansi(ansi)
        .with_writer(writer)
        .boxed()
}
