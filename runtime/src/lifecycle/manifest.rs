//! The first step of the start: `TWELVE_FACTOR_MANIFEST` turns the binary into its own manifest
//! tool (emit or check, then exit) before anything else is read.

use crate::cli::ProcessType;
use crate::config::runtime_vars::LogFormat;
use crate::config::table::BUILTIN_VARIABLES;
use crate::config::variable::Variable;
use crate::deploy::{intercept, Known, Listener};
use crate::lifecycle::spec::MainSpec;

/// Emits or checks and exits when `TWELVE_FACTOR_MANIFEST` is set; returns otherwise.
/// `config` are the configuration's variables, `listeners` the declared listeners besides
/// `PORT` (name, `{NAME}_PORT`, port) and `process_types` the binary's types: the contract
/// is built from exactly these.
pub(crate) fn manifest_or_continue(
    spec: &MainSpec,
    config: &[Variable],
    listeners: &[Listener],
    process_types: &[ProcessType],
) {
    let known = Known {
        default_port: spec.default_port,
        shutdown_timeout: spec.shutdown_timeout,
        log_format: match spec.log {
            LogFormat::Text => Some("text"),
            LogFormat::Json => Some("json"),
            LogFormat::Off => None,
        },
        builtin: &BUILTIN_VARIABLES,
        config,
    };
    intercept(&known, listeners, process_types);
}
