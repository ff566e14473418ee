//! The first step of the start: `TWELVE_FACTOR_MANIFEST` turns the binary into its own manifest
//! tool (emit or check, then exit) before anything else is read. With the `manifest` feature
//! off, the variable is refused with one line and exit 64.

use crate::cli::ProcessType;
use crate::config::variable::Variable;
use crate::deploy::MANIFEST_VARIABLE;
use crate::listen::spec::ListenerDecl;
use crate::lifecycle::spec::MainSpec;

/// Emits or checks and exits when `TWELVE_FACTOR_MANIFEST` is set; returns otherwise.
/// `config` are the configuration's variables, `listeners` the declared listeners besides
/// `PORT` and `process_types` the binary's types: the contract
/// is built from exactly these.
#[cfg(feature = "manifest")]
pub(crate) fn manifest_or_continue(
    spec: &MainSpec,
    config: &[Variable],
    listeners: &[ListenerDecl],
    process_types: &[ProcessType],
) {
    use crate::config::runtime_vars::LogFormat;
    use crate::config::table::BUILTIN_VARIABLES;
    use crate::deploy::{intercept, Known};

    if std::env::var_os(MANIFEST_VARIABLE).is_none() {
        return;
    }
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
    let listeners: Vec<crate::deploy::Listener> = listeners
        .iter()
        .map(|decl| crate::deploy::Listener::new(decl.name, decl.env, decl.default_port))
        .collect();
    intercept(&known, &listeners, process_types);
}

/// Without the `manifest` feature: `TWELVE_FACTOR_MANIFEST` set is exit 64 with one line.
#[cfg(not(feature = "manifest"))]
pub(crate) fn manifest_or_continue(
    _spec: &MainSpec,
    _config: &[Variable],
    _listeners: &[ListenerDecl],
    _process_types: &[ProcessType],
) {
    if std::env::var_os(MANIFEST_VARIABLE).is_some() {
        use std::io::Write;
        let _ = std::io::stderr().write_all(
            format!(
                "{MANIFEST_VARIABLE} is set, but this binary was built without the `manifest` \
                 feature of twelvefactor; enable it to emit and check manifests\n"
            )
            .as_bytes(),
        );
        std::process::exit(crate::exit_code::USAGE);
    }
}
