//! Logs go to stdout, one event per line: text or JSON, filtered by `RUST_LOG`, coloured only for
//! a terminal, without timestamps when journald (which stamps lines itself) is reading stdout.
//! Panics become error events.

use crate::config::Config;
use crate::settings::LogFormat;
use std::io::IsTerminal;
use tracing_subscriber::layer::{Layer, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::filter::LevelFilter;
use tracing_subscriber::{fmt, EnvFilter, Registry};

/// Installs the global subscriber (unless logging is `Off`) and the panic hook.
pub(crate) fn init(config: &Config) {
    install_panic_hook(config.log_format == LogFormat::Off);
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
                EnvFilter::builder()
                    .parse(&config.filter)
                    .unwrap_or_else(|_| EnvFilter::new("info")),
            ),
        ),
    };
    let stdout = std::io::stdout();
    let journald = config.journal_stream.is_some_and(stdout_is);
    let ansi = stdout.is_terminal() && !config.no_color && !journald;
    let writer = crate::stdout_writer::QueuedStdout::install();
    // One subscriber type whatever the format: the format-specific layer is boxed, so the
    // filter and registry code is compiled once rather than once per format.
    let layer: Box<dyn Layer<Registry> + Send + Sync> = match (config.log_format, journald) {
        #[cfg(feature = "json")]
        (LogFormat::Json, _) => fmt::layer()
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .with_writer(writer)
            .boxed(),
        (_, true) => fmt::layer()
            .without_time()
            .with_ansi(ansi)
            .with_writer(writer)
            .boxed(),
        _ => fmt::layer().with_ansi(ansi).with_writer(writer).boxed(),
    };
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

/// Panics are logged as error events with their message, location and thread, so they reach
/// the same place as every other log line. With logging `Off` the program's own subscriber gets
/// the event, and the default hook still prints to stderr if no subscriber was installed.
fn install_panic_hook(keep_default: bool) {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| info.payload().downcast_ref::<String>().map(String::as_str))
            .unwrap_or("Box<dyn Any>");
        let location = info
            .location()
            .map(|location| location.to_string())
            .unwrap_or_default();
        let thread = std::thread::current();
        let thread = thread.name().unwrap_or("<unnamed>");
        // tokio's panic for `spawn_local` outside a `LocalSet` (as on `flavor = "current_thread"`)
        // names tokio's types; say which flavor provides one.
        let hint = message
            .contains("`spawn_local` called from outside")
            .then_some("use #[twelve_factor::main(flavor = \"local\")] to run main in a LocalSet");
        let backtrace = std::backtrace::Backtrace::capture();
        if backtrace.status() == std::backtrace::BacktraceStatus::Captured {
            tracing::error!(target: "twelve_factor", panic = message, hint, location, thread, backtrace = ?backtrace, "panicked");
        } else {
            tracing::error!(target: "twelve_factor", panic = message, hint, location, thread, "panicked");
        }
        if keep_default && !tracing::dispatcher::has_been_set() {
            default(info);
        }
    }));
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
