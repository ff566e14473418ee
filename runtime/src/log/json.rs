//! JSON lines (the `json` feature): one object per event, the event's fields at the top level,
//! with the current span, and the process type first (`process_field.rs`).

use crate::log::process_field::WithProcess;
use tracing_subscriber::layer::Layer;
use tracing_subscriber::{fmt, Registry};

/// The JSON layer.
pub(crate) fn layer(writer: WithProcess) -> Option<Box<dyn Layer<Registry> + Send + Sync>> {
    Some(
        fmt::layer()
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .with_writer(writer)
            .boxed(),
    )
}
