//! Everything that reaches stdout. Logs go there one event per line: text or JSON, filtered by
//! `RUST_LOG`, coloured only for a terminal, without timestamps when journald (which stamps
//! lines itself) is reading stdout. Panics become error events.
//!
//! [`init`] installs the subscriber and the panic hook; `format.rs` picks the line format (JSON
//! in `json.rs`, a stub in `json_off.rs` without the `json` feature); `writer.rs` is the
//! `MakeWriter` that queues lines and counts the dropped ones; `worker.rs` is the thread that
//! writes them to stdout and the flush at exit. A new field on every line, or a new layer,
//! goes in `format.rs`.

mod format;
#[cfg_attr(not(feature = "json"), path = "json_off.rs")]
mod json;
mod panic_hook;
pub(crate) mod worker;
pub(crate) mod writer;

use crate::config::runtime_vars::{filter_builder, LogFormat, RuntimeVars};
use std::io::IsTerminal;
use tracing_subscriber::filter::LevelFilter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::EnvFilter;

/// Installs the global subscriber (unless logging is `Off`) and the panic hook.
pub(crate) fn init(config: &RuntimeVars) {
    panic_hook::install(config.log_format == LogFormat::Off);
    if config.log_format == LogFormat::Off {
        return;
    }
    // A bare level (the default `info`) needs no directive parser: a `LevelFilter` filters the
    // same and costs nothing to build. Anything else was validated when the configuration was
    // read, so this parse cannot fail; fall back to `info` rather than panic if it ever did.
    let (level, directives) = match bare_level(&config.filter) {
        Some(level) => (Some(level), None),
        None => (
            None,
            Some(
                filter_builder()
                    .parse(&config.filter)
                    .unwrap_or_else(|_| EnvFilter::new("info")),
            ),
        ),
    };
    let stdout = std::io::stdout();
    let journald = config.journal_stream.is_some_and(stdout_is);
    let ansi = stdout.is_terminal() && !config.no_color && !journald;
    let layer = format::layer(config.log_format, journald, ansi, worker::install());
    // `try_init` fails only when the program already installed a global subscriber; that one
    // then keeps receiving the events, which is what the program asked for.
    let _ = tracing_subscriber::registry()
        .with(layer)
        .with(directives)
        .with(level)
        .try_init();
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
