//! Everything that reaches stdout. Logs go there one event per line: text or JSON, filtered by
//! `RUST_LOG`, coloured only for a terminal, without timestamps when journald (which stamps
//! lines itself) is reading stdout. Panics become error events.
//!
//! [`init`] installs the subscriber and the panic hook; `filter.rs` turns `RUST_LOG` into a
//! filter (the whole `EnvFilter` syntax only with the `env-filter` feature, a `Targets` filter
//! otherwise); `format.rs` picks the line format (JSON in `json.rs`, a stub in `json_off.rs`
//! without the `json` feature); `process_field.rs` adds the process type to JSON lines;
//! `writer.rs` is the `MakeWriter` that queues lines and counts the
//! dropped ones; `worker.rs` is the thread that writes them to stdout and the flush at exit. A
//! new field on every line, or a new layer, goes in `format.rs`.
//! `otel.rs` (the `otel` feature; a stub in `otel_off.rs`) adds the OpenTelemetry layers, the
//! trace ids on each line and the exporter's flush; [`Extras`] carries what the attribute adds
//! (the service's name, the process type, its own layer).

pub(crate) mod filter;
mod format;
#[cfg_attr(not(feature = "json"), path = "json_off.rs")]
mod json;
#[cfg_attr(not(feature = "otel"), path = "otel_off.rs")]
pub(crate) mod otel;
pub(crate) mod panic_hook;
#[cfg_attr(not(feature = "json"), allow(dead_code))]
mod process_field;
pub(crate) mod worker;
pub(crate) mod writer;

use crate::config::runtime_vars::{LogFormat, RuntimeVars};
use std::io::IsTerminal;
use tracing_subscriber::filter::LevelFilter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

pub(crate) use format::BoxedLayer;

/// What the subscriber gets besides the runtime's variables.
#[derive(Clone, Copy, Default)]
pub(crate) struct Extras<'a> {
    /// The service's name for telemetry when `OTEL_SERVICE_NAME` is unset.
    pub service: &'a str,
    /// The selected process type, which JSON lines carry.
    pub process: Option<&'a str>,
    /// The service's own layer, installed beside the runtime's.
    pub layer: Option<fn() -> BoxedLayer>,
    /// The runtime, entered while exporters that need a reactor are built.
    pub runtime: Option<&'a tokio::runtime::Handle>,
}

/// Installs the global subscriber (unless logging is `Off`) and the panic hook.
pub(crate) fn init(config: &RuntimeVars, extras: Extras<'_>) {
    panic_hook::install(config.log_format == LogFormat::Off);
    if config.log_format == LogFormat::Off {
        return;
    }
    // A bare level (the default `info`) needs no directive parser: a `LevelFilter` filters the
    // same and costs nothing to build. Anything else was validated when the configuration was
    // read, so this parse cannot fail; fall back to `info` rather than panic if it ever did.
    let (level, directives) = match bare_level(&config.filter) {
        Some(level) => (Some(level), None),
        None => match filter::parse(&config.filter) {
            Ok(parsed) => (None, Some(parsed)),
            Err(_) => (Some(LevelFilter::INFO), None),
        },
    };
    let stdout = std::io::stdout();
    let journald = config.journal_stream.is_some_and(stdout_is);
    let ansi = stdout.is_terminal() && !config.no_color && !journald;
    let json = config.log_format == LogFormat::Json;
    // OpenTelemetry's layers first (they see each span before the line is written), then the
    // line format, then the service's own layer.
    let mut layers = otel::layers(extras.service, json, extras.runtime);
    layers.push(format::layer(config.log_format, extras.process, journald, ansi, worker::install()));
    layers.extend(extras.layer.map(|make| make()));
    // `try_init` fails only when the program already installed a global subscriber; that one
    // then keeps receiving the events, which is what the program asked for.
    let installed = tracing_subscriber::registry()
        .with(layers)
        .with(directives)
        .with(level)
        .try_init();
    if installed.is_ok() {
        otel::installed();
    }
}

/// The level a filter names when it is one level name and nothing else (`info`, `DEBUG`, `off`).
fn bare_level(filter: &str) -> Option<LevelFilter> {
    let filter = filter.trim();
    ["off", "error", "warn", "info", "debug", "trace"]
        .iter()
        .any(|name| filter.eq_ignore_ascii_case(name))
        .then(|| filter.parse().ok())
        .flatten()
}

/// Whether stdout is the stream `JOURNAL_STREAM` names (`device`, `inode`).
fn stdout_is((device, inode): (u64, u64)) -> bool {
    // SAFETY: fstat writes only into the struct we pass; fd 1 may be closed, which fstat reports.
    let stat = unsafe {
        let mut stat: libc::stat = std::mem::zeroed();
        (libc::fstat(1, &mut stat) == 0).then_some(stat)
    };
    // The field types differ between platforms; on some they are already u64.
    #[allow(clippy::unnecessary_cast)]
    let same = stat.is_some_and(|stat| stat.st_dev as u64 == device && stat.st_ino as u64 == inode);
    same
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_levels_are_level_filters_and_directives_are_not() {
        assert_eq!(bare_level("info"), Some(LevelFilter::INFO));
        assert_eq!(bare_level(" DEBUG "), Some(LevelFilter::DEBUG));
        assert_eq!(bare_level("Off"), Some(LevelFilter::OFF));
        for directive in ["info,http=debug", "my_crate=warn", "3", "", "[span]=info"] {
            assert_eq!(bare_level(directive), None, "{directive}");
        }
    }
}
