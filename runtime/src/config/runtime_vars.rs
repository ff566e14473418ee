//! [`RuntimeVars`]: the runtime's own variables (the rows of `builtin.rs`), read from the
//! environment once, before anything starts.
//!
//! Every variable is validated up front, and every bad one is reported: one line each on stderr
//! and exit code 78, and nothing has been bound or logged by then.

use crate::config::duration;
use crate::config::error::{ConfigError, ConfigErrors};
use crate::config::ports::{distinct, parse_health_port, parse_port};
use crate::listen::spec::ListenerDecl;
use crate::log::filter;
use crate::platform::activation::{self, Activation};
use crate::platform::notify::{self, NotifyTarget};
use std::ffi::OsString;
use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

/// The log format: the attribute's choice, then the process's once `LOG_FORMAT` is read
/// (`LOG_FORMAT` overrides `Text` and `Json`, never `Off`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable lines (the default).
    Text,
    /// One JSON object per line.
    Json,
    /// Install no subscriber: the program brings its own.
    Off,
}

/// What the attribute sets for the variables that are unset: the defaults the reading uses.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Defaults {
    /// The port used when `PORT` is unset.
    pub default_port: u16,
    /// The drain deadline used when `SHUTDOWN_TIMEOUT` is unset.
    pub shutdown_timeout: Duration,
    /// The log format, or `Off`.
    pub log: LogFormat,
    /// The listeners declared besides `main`'s, each with its variable and default port.
    pub listeners: &'static [ListenerDecl],
}

impl Defaults {
    /// The defaults of a bare `#[twelve_factor::main]`.
    pub(crate) const DEFAULT: Defaults = Defaults {
        default_port: 8080,
        // Under `docker stop`'s 10 s, so the drain finishes before the SIGKILL.
        shutdown_timeout: Duration::from_secs(9),
        log: LogFormat::Text,
        listeners: &[],
    };
}

/// Everything the runtime reads from the environment for itself.
#[derive(Debug)]
pub(crate) struct RuntimeVars {
    pub port: u16,
    pub host: IpAddr,
    pub log_format: LogFormat,
    pub filter: String,
    pub no_color: bool,
    pub journal_stream: Option<(u64, u64)>,
    pub shutdown_timeout: Duration,
    pub shutdown_delay: Duration,
    pub notify: Option<NotifyTarget>,
    pub watchdog: Option<Duration>,
    pub activation: Activation,
    /// `HEALTH_PORT`: where the probe listener binds; `None` = no probe listener.
    pub health_port: Option<u16>,
    /// The declared listeners, each with its port (`{NAME}_PORT` or the default).
    pub listeners: Vec<(ListenerDecl, u16)>,
}

impl RuntimeVars {
    /// The declared listener called `name`, with its port.
    pub(crate) fn listener(&self, name: &str) -> Option<(ListenerDecl, u16)> {
        self.listeners
            .iter()
            .find(|(decl, _)| decl.name == name)
            .copied()
    }
}

/// The variables [`RuntimeVars::from_lookup`] reads, in the order it reads them (the property
/// tests and the fuzz target set them from generated values in this order).
#[cfg(any(test, fuzzing))]
pub(crate) const READ_ORDER: [&str; 15] = [
    "PORT",
    "HOST",
    "LOG_FORMAT",
    "RUST_LOG",
    "NO_COLOR",
    "JOURNAL_STREAM",
    "SHUTDOWN_TIMEOUT",
    "SHUTDOWN_DELAY",
    "NOTIFY_SOCKET",
    "WATCHDOG_USEC",
    "WATCHDOG_PID",
    "LISTEN_PID",
    "LISTEN_FDS",
    "LISTEN_FDNAMES",
    "HEALTH_PORT",
];

/// The variables of listening, which a one-off process neither reads nor validates.
pub(crate) const LISTENING: &[&str] = &[
    "PORT",
    "HOST",
    "HEALTH_PORT",
    "LISTEN_FDS",
    "LISTEN_PID",
    "LISTEN_FDNAMES",
];

/// One environment variable's value, if set; `Err` carries a value that is not UTF-8.
type Lookup<'a> = &'a dyn Fn(&'static str) -> Option<OsString>;

impl RuntimeVars {
    /// Reads the process environment. A one-off process (`one_off`) binds nothing: it neither
    /// reads nor validates the variables of listening ([`LISTENING`]), which keep their defaults.
    pub(crate) fn from_env(settings: &Defaults, one_off: bool) -> Result<RuntimeVars, ConfigErrors> {
        let pid = std::process::id();
        let lookup = |name: &'static str| {
            if one_off && LISTENING.contains(&name) {
                None
            } else {
                std::env::var_os(name)
            }
        };
        // Nor the declared listeners' `{NAME}_PORT`.
        let settings = if one_off {
            Defaults {
                listeners: &[],
                ..*settings
            }
        } else {
            *settings
        };
        let mut config = RuntimeVars::from_lookup(&settings, pid, &lookup)?;
        config.activation.claim().map_err(ConfigError::from)?;
        Ok(config)
    }

    /// Reads the configuration through `lookup`, as the process `pid`. Every bad variable is
    /// collected; a bad one does not hide those read after it.
    pub(crate) fn from_lookup(
        settings: &Defaults,
        pid: u32,
        lookup: Lookup,
    ) -> Result<RuntimeVars, ConfigErrors> {
        let mut errors = ConfigErrors::default();
        let mut var = |name: &'static str| -> Option<String> {
            let value = lookup(name)?;
            match value.into_string() {
                Ok(text) => Some(text),
                Err(raw) => {
                    errors.push(ConfigError::not_utf8(name, &raw));
                    None
                }
            }
        };
        // Read every variable first (collecting UTF-8 errors), then validate each.
        let port_text = var("PORT");
        let host_text = var("HOST");
        let log_format_text = var("LOG_FORMAT");
        let rust_log = var("RUST_LOG");
        let no_color = var("NO_COLOR").is_some_and(|value| !value.is_empty());
        let journal_stream = var("JOURNAL_STREAM").and_then(|text| parse_journal_stream(&text));
        let timeout_text = var("SHUTDOWN_TIMEOUT");
        let delay_text = var("SHUTDOWN_DELAY");
        let notify_text = var("NOTIFY_SOCKET");
        let watchdog_usec = var("WATCHDOG_USEC");
        let watchdog_pid = var("WATCHDOG_PID");
        let listen_pid = var("LISTEN_PID");
        let listen_fds = var("LISTEN_FDS");
        let listen_fdnames = var("LISTEN_FDNAMES");
        let health_text = var("HEALTH_PORT");
        let listener_texts: Vec<Option<String>> =
            settings.listeners.iter().map(|decl| var(decl.env)).collect();

        let errors = &mut errors;
        let port = port_text.map_or(Ok(settings.default_port), |text| parse_port("PORT", &text));
        // HEALTH_PORT is compared with PORT only when PORT itself is valid.
        let valid_port = port.as_ref().ok().copied();
        let port = check(errors, port, settings.default_port);
        let host = check(
            errors,
            host_text.map_or(Ok(IpAddr::V4(Ipv4Addr::UNSPECIFIED)), |text| {
                parse_host(&text)
            }),
            IpAddr::V4(Ipv4Addr::UNSPECIFIED),
        );
        let default_format = settings.log;
        let log_format = match (settings.log, log_format_text) {
            (LogFormat::Off, _) | (_, None) => default_format,
            (_, Some(text)) => check(errors, parse_log_format(&text), default_format),
        };
        let filter = match rust_log {
            Some(text) if !text.trim().is_empty() => {
                if log_format != LogFormat::Off {
                    let text = tidy_filter(&text);
                    check(errors, check_filter(&text).map(|()| text.clone()), text)
                } else {
                    text
                }
            }
            _ => "info".to_owned(),
        };
        let shutdown_timeout = check(
            errors,
            duration_var("SHUTDOWN_TIMEOUT", timeout_text, settings.shutdown_timeout),
            settings.shutdown_timeout,
        );
        let shutdown_delay = check(
            errors,
            duration_var("SHUTDOWN_DELAY", delay_text, Duration::ZERO),
            Duration::ZERO,
        );
        let notify = notify_text.and_then(|text| {
            check(
                errors,
                notify::parse_target(&text)
                    .map(Some)
                    .map_err(|why| ConfigError::new("NOTIFY_SOCKET", &text, why)),
                None,
            )
        });
        let watchdog = check(
            errors,
            notify::parse_watchdog(watchdog_usec.as_deref(), watchdog_pid.as_deref(), pid)
                .map_err(ConfigError::from),
            None,
        );
        let activation = check(
            errors,
            activation::parse(
                listen_pid.as_deref(),
                listen_fds.as_deref(),
                listen_fdnames.as_deref(),
                pid,
            )
            .map_err(ConfigError::from),
            Activation::default(),
        );
        // The probe listener's port; checked against PORT.
        let health_port = health_text.and_then(|text| {
            check(
                errors,
                parse_health_port(&text, valid_port).map(Some),
                None,
            )
        });
        // Each declared listener's port, checked against every port taken before it.
        let mut taken: Vec<(&'static str, u16)> = Vec::new();
        taken.extend(valid_port.map(|port| ("PORT", port)));
        taken.extend(health_port.map(|port| ("HEALTH_PORT", port)));
        let mut listeners = Vec::with_capacity(settings.listeners.len());
        for (decl, text) in settings.listeners.iter().zip(listener_texts) {
            let port = match text {
                Some(text) => parse_port(decl.env, &text)
                    .and_then(|port| distinct(decl.env, &text, port, &taken, "")),
                None => distinct(
                    decl.env,
                    &decl.default_port.to_string(),
                    decl.default_port,
                    &taken,
                    " (the default; set it to another port)",
                ),
            };
            match port {
                Ok(port) => {
                    taken.push((decl.env, port));
                    listeners.push((*decl, port));
                }
                Err(error) => errors.push(error),
            }
        }
        std::mem::take(errors).into_result(RuntimeVars {
            port,
            host,
            log_format,
            filter,
            no_color,
            journal_stream,
            shutdown_timeout,
            shutdown_delay,
            notify,
            watchdog,
            activation,
            health_port,
            listeners,
        })
    }
}

/// The value of `result`, or `fallback` after recording its error.
fn check<T>(errors: &mut ConfigErrors, result: Result<T, ConfigError>, fallback: T) -> T {
    result.unwrap_or_else(|error| {
        errors.push(error);
        fallback
    })
}

fn parse_host(text: &str) -> Result<IpAddr, ConfigError> {
    text.parse::<IpAddr>().map_err(|_| {
        ConfigError::new(
            "HOST",
            text,
            "expected an IP address such as 0.0.0.0, 127.0.0.1 or ::",
        )
    })
}

fn parse_log_format(text: &str) -> Result<LogFormat, ConfigError> {
    match text {
        "text" => Ok(LogFormat::Text),
        "json" if cfg!(feature = "json") => Ok(LogFormat::Json),
        "json" => Err(ConfigError::new(
            "LOG_FORMAT",
            text,
            "JSON logs are off in this build (the `json` feature of twelvefactor is disabled); \
             use `text`, or enable the feature",
        )),
        _ => Err(ConfigError::new(
            "LOG_FORMAT",
            text,
            "expected `text` or `json`",
        )),
    }
}

/// `RUST_LOG` with the spaces around each comma-separated directive removed. tracing-subscriber
/// 0.3's directive parser slices the untrimmed directive at offsets of the trimmed one, and so
/// panics on a directive such as ` é=info` (a space, then a multi-byte character); without
/// the spaces the offsets agree. The filter means the same either way.
fn tidy_filter(text: &str) -> String {
    text.split(',').map(str::trim).collect::<Vec<_>>().join(",")
}

/// Checks `RUST_LOG` with the parser the subscriber uses (`log/filter.rs`).
fn check_filter(text: &str) -> Result<(), ConfigError> {
    filter::parse(text).map(drop).map_err(|error| {
        ConfigError::new(
            "RUST_LOG",
            text,
            format!("not a tracing filter ({error}); e.g. `info` or `info,my_crate=debug`"),
        )
    })
}

fn duration_var(
    name: &'static str,
    text: Option<String>,
    default: Duration,
) -> Result<Duration, ConfigError> {
    match text {
        None => Ok(default),
        Some(text) => {
            duration::parse(&text).ok_or_else(|| ConfigError::new(name, &text, duration::EXPECTED))
        }
    }
}

/// `JOURNAL_STREAM` is `DEVICE:INODE` of the journald stream systemd connected stdout/stderr to.
fn parse_journal_stream(text: &str) -> Option<(u64, u64)> {
    let (device, inode) = text.split_once(':')?;
    Some((device.parse().ok()?, inode.parse().ok()?))
}

#[cfg(test)]
mod tests;
