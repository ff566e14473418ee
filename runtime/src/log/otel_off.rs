//! Stands in for `otel.rs` when the `otel` feature is off: the `OTEL_*` variables are not read,
//! no layer is added, lines carry no trace ids, and OpenTelemetry is not linked.

use crate::config::error::ConfigError;
use tracing_subscriber::{Layer, Registry};

/// Nothing to validate in this build.
pub(crate) fn read_env() -> Vec<ConfigError> {
    Vec::new()
}

/// No OpenTelemetry layers in this build.
pub(crate) fn layers(
    _service: &str,
    _json: bool,
    _runtime: Option<&tokio::runtime::Handle>,
) -> Vec<Box<dyn Layer<Registry> + Send + Sync>> {
    Vec::new()
}

/// Nothing to hand over.
pub(crate) fn installed() {}

/// Lines stay as they are.
#[inline(always)]
pub(crate) fn decorate(_line: &mut Vec<u8>) {}

/// Nothing is added to a line.
pub(crate) const DECORATION: usize = 0;

/// Nothing to export.
pub(crate) async fn flush(_deadline: tokio::time::Instant) {}
