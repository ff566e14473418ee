//! Stands in for `json.rs` when the `json` feature is off: there is no JSON layer, and
//! tracing-subscriber's JSON formatter (and serde_json) are not linked.

use crate::log::process_field::WithProcess;
use tracing_subscriber::layer::Layer;
use tracing_subscriber::Registry;

/// No JSON layer in this build.
pub(crate) fn layer(_writer: WithProcess) -> Option<Box<dyn Layer<Registry> + Send + Sync>> {
    None
}
