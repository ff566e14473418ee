//! [`RuntimeVars`]: the runtime's own variables (the rows of `builtin.rs`), read from the
//! environment once, before anything starts.
//!
//! Every variable is validated up front, and every bad one is reported: one line each on stderr
//! and exit code 78, and nothing has been bound or logged by then.

use crate::config::duration;
use crate::config::error::{ConfigError, ConfigErrors};
use crate::platform::activation::{self, Activation};
use crate::platform::notify::{self, NotifyTarget};
use std::ffi::OsString;
use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;
use tracing_subscriber::EnvFilter;

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
}

impl Defaults {
    /// The defaults of a bare `#[twelve_factor::main]`.
    pub(crate) const DEFAULT: Defaults = Defaults {
        default_port: 8080,
        // Under `docker stop`'s 10 s, so the drain finishes before the SIGKILL.
        shutdown_timeout: Duration::from_secs(9),
        log: LogFormat::Text,
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
}

/// One environment variable's value, if set; `Err` carries a value that is not UTF-8.
type Lookup<'a> = &'a dyn Fn(&'static str) -> Option<OsString>;

impl RuntimeVars {
    /// Reads the process environment.
    pub(crate) fn from_env(settings: &Defaults) -> Result<RuntimeVars, ConfigErrors> {
        let pid = std::process::id();
        let mut config = RuntimeVars::from_lookup(settings, pid, &|name| std::env::var_os(name))?;
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

        let errors = &mut errors;
        let port = port_text.map_or(Ok(settings.default_port), |text| parse_port(&text));
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

fn parse_port(text: &str) -> Result<u16, ConfigError> {
    text.parse::<u16>()
        .ok()
        .filter(|_| text.bytes().all(|b| b.is_ascii_digit()))
        .ok_or_else(|| ConfigError::new("PORT", text, "expected an integer from 0 to 65535"))
}

/// What `HEALTH_PORT` must be, for the configuration error.
const HEALTH_PORT_EXPECTED: &str = "expected an integer from 1 to 65535, other than PORT";

/// Parses `HEALTH_PORT` against the main `port` (`None` when `PORT` itself is invalid: it is
/// reported on its own line, and not compared).
///
/// ```text
/// HEALTH_PORT=9090 with PORT=8080 → 9090
/// HEALTH_PORT=8080 with PORT=8080 → error: the probes and the service cannot share a port
/// ```
fn parse_health_port(text: &str, port: Option<u16>) -> Result<u16, ConfigError> {
    let health = text
        .parse::<u16>()
        .ok()
        .filter(|&health| health != 0 && text.bytes().all(|b| b.is_ascii_digit()))
        .ok_or_else(|| ConfigError::new("HEALTH_PORT", text, HEALTH_PORT_EXPECTED))?;
    if let Some(port) = port.filter(|&port| port == health) {
        return Err(ConfigError::new(
            "HEALTH_PORT",
            text,
            format!("must differ from PORT ({port}): the probes need a port of their own"),
        ));
    }
    Ok(health)
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

/// The `RUST_LOG` parser: tracing-subscriber's, with span field values matched as literal
/// text rather than compiled as regular expressions. A field value such as
/// `[{x=(a|b)*a(a|b)(a|b)…}]` builds a DFA whose size doubles with each `(a|b)`, which hung
/// the start (found by fuzzing); literal values cost nothing to build.
pub(crate) fn filter_builder() -> tracing_subscriber::filter::Builder {
    EnvFilter::builder().with_regex(false)
}

/// `RUST_LOG` with the spaces around each comma-separated directive removed. tracing-subscriber
/// 0.3's directive parser slices the untrimmed directive at offsets of the trimmed one, and so
/// panics on a directive such as ` é=info` (a space, then a multi-byte character); without
/// the spaces the offsets agree. The filter means the same either way.
fn tidy_filter(text: &str) -> String {
    text.split(',').map(str::trim).collect::<Vec<_>>().join(",")
}

/// Checks `RUST_LOG` with the parser the subscriber uses ([`filter_builder`]).
fn check_filter(text: &str) -> Result<(), ConfigError> {
    filter_builder().parse(text).map(drop).map_err(|error| {
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
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&'static str, &str)]) -> Result<RuntimeVars, ConfigErrors> {
        config_with(&Defaults::DEFAULT, vars)
    }

    fn config_with(
        settings: &Defaults,
        vars: &[(&'static str, &str)],
    ) -> Result<RuntimeVars, ConfigErrors> {
        let map: HashMap<&str, OsString> =
            vars.iter().map(|(k, v)| (*k, OsString::from(v))).collect();
        RuntimeVars::from_lookup(settings, 4242, &|name| map.get(name).cloned())
    }

    #[test]
    fn ports() {
        assert_eq!(parse_health_port("9090", Some(8080)).unwrap(), 9090);
        for bad in ["", "abc", "0", "70000", "-1", "+9090", " 9090", "9090 "] {
            let error = parse_health_port(bad, Some(8080)).unwrap_err();
            assert_eq!(error.variable(), "HEALTH_PORT");
            assert!(error
                .to_string()
                .starts_with(&format!("invalid HEALTH_PORT={bad:?}: ")));
        }
        let same = parse_health_port("8080", Some(8080)).unwrap_err().to_string();
        assert_eq!(
            same,
            r#"invalid HEALTH_PORT="8080": must differ from PORT (8080): the probes need a port of their own"#
        );
        assert!(!same.contains('\n'));
    }

    #[test]
    fn json_needs_its_feature() {
        let result = config(&[("LOG_FORMAT", "json")]);
        if cfg!(feature = "json") {
            assert_eq!(result.unwrap().log_format, LogFormat::Json);
        } else {
            let line = result.unwrap_err().to_string();
            assert!(line.contains("invalid LOG_FORMAT=\"json\""), "{line}");
            assert!(
                line.contains("the `json` feature of twelvefactor is disabled"),
                "{line}"
            );
        }
    }

    #[test]
    fn defaults() {
        let config = config(&[]).unwrap();
        assert_eq!(config.port, 8080);
        assert_eq!(config.host, IpAddr::V4(Ipv4Addr::UNSPECIFIED));
        assert_eq!(config.log_format, LogFormat::Text);
        assert_eq!(config.filter, "info");
        assert_eq!(config.shutdown_timeout, Duration::from_secs(9));
        assert_eq!(config.shutdown_delay, Duration::ZERO);
        assert!(config.notify.is_none());
        assert!(config.watchdog.is_none());
        assert!(config.activation.is_empty());
    }

    #[test]
    fn attribute_defaults_yield_to_env() {
        let settings = Defaults {
            default_port: 3000,
            log: LogFormat::Json,
            shutdown_timeout: Duration::from_secs(20),
        };
        let config = config_with(&settings, &[]).unwrap();
        assert_eq!(
            (config.port, config.log_format, config.shutdown_timeout),
            (3000, LogFormat::Json, Duration::from_secs(20))
        );
        let config = config_with(
            &settings,
            &[
                ("PORT", "4000"),
                ("LOG_FORMAT", "text"),
                ("SHUTDOWN_TIMEOUT", "500ms"),
            ],
        )
        .unwrap();
        assert_eq!(
            (config.port, config.log_format, config.shutdown_timeout),
            (4000, LogFormat::Text, Duration::from_millis(500))
        );
    }

    #[test]
    fn bad_values_name_the_variable() {
        let cases: &[(&'static str, &str)] = &[
            ("PORT", "abc"),
            ("PORT", "70000"),
            ("PORT", "-1"),
            ("PORT", ""),
            ("PORT", "+80"),
            ("HOST", "nope"),
            ("HOST", "localhost"),
            ("LOG_FORMAT", "xml"),
            ("RUST_LOG", "info,[[["),
            ("RUST_LOG", "my_crate=loud"),
            ("SHUTDOWN_TIMEOUT", "forever"),
            ("SHUTDOWN_DELAY", "-5s"),
            ("NOTIFY_SOCKET", "relative/path"),
            ("WATCHDOG_USEC", "soon"),
            ("LISTEN_FDS", "two"),
            ("HEALTH_PORT", "http"),
            ("HEALTH_PORT", "8080"),
        ];
        for (name, value) in cases {
            let errors = config(&[(name, value), ("LISTEN_PID", "4242")])
                .expect_err(&format!("{name}={value:?} accepted"));
            assert_eq!(errors.len(), 1, "{errors}");
            let error = errors.iter().next().unwrap();
            assert_eq!(error.variable(), *name, "{name}={value:?}");
            let line = error.to_string();
            assert!(
                line.starts_with(&format!("invalid {name}={value:?}: ")),
                "{line}"
            );
            assert!(!line.contains('\n'), "{line}");
        }
    }

    /// Found by fuzzing (`fuzz/`, target `env`): a span field value compiled as a regular
    /// expression into a DFA of 2^n states hung the start. Field values are literal text.
    #[test]
    fn rust_log_field_values_are_not_compiled_as_regular_expressions() {
        let started = std::time::Instant::now();
        let blowup = format!("[{{x=(a|b)*a{}}}]=info", "(a|b)".repeat(30));
        let vars = config(&[("RUST_LOG", &blowup)]).unwrap();
        assert_eq!(vars.filter, blowup);
        assert!(
            started.elapsed() < std::time::Duration::from_secs(1),
            "{:?}",
            started.elapsed()
        );
    }

    /// Found by fuzzing (`fuzz/`, target `env`): tracing-subscriber's directive parser panicked
    /// on a space before a multi-byte character; the process must report or accept, not panic.
    #[test]
    fn rust_log_with_spaces_before_multibyte_characters_does_not_panic() {
        for text in [
            " é=info",
            "info, ü",
            "info,1\u{fffd},4, 1,,X, 3\u{fffd}=,,X, 3\u{fffd},4, 1,,X, 3",
            "\u{3000}𐪖=debug",
        ] {
            match config(&[("RUST_LOG", text)]) {
                Ok(vars) => assert!(!vars.filter.contains(", "), "{:?}", vars.filter),
                Err(errors) => assert_eq!(errors.iter().next().unwrap().variable(), "RUST_LOG"),
            }
        }
    }

    #[test]
    fn log_off_ignores_rust_log_syntax() {
        let settings = Defaults {
            log: LogFormat::Off,
            ..Defaults::DEFAULT
        };
        assert_eq!(
            config_with(&settings, &[("RUST_LOG", "[[[")])
                .unwrap()
                .log_format,
            LogFormat::Off
        );
    }

    #[test]
    fn empty_rust_log_means_info_and_no_color_needs_a_value() {
        let config = config(&[("RUST_LOG", ""), ("NO_COLOR", "")]).unwrap();
        assert_eq!(config.filter, "info");
        assert!(!config.no_color);
        assert!(super::tests::config(&[("NO_COLOR", "1")]).unwrap().no_color);
    }

    #[test]
    fn journal_stream() {
        assert_eq!(parse_journal_stream("8:1234"), Some((8, 1234)));
        assert_eq!(parse_journal_stream("8"), None);
        assert_eq!(parse_journal_stream("a:b"), None);
    }

    #[test]
    fn every_bad_variable_is_reported_in_reading_order() {
        let errors = config(&[
            ("PORT", "abc"),
            ("HOST", "nope"),
            ("LOG_FORMAT", "xml"),
            ("SHUTDOWN_TIMEOUT", "forever"),
            ("SHUTDOWN_DELAY", "-5s"),
            ("WATCHDOG_USEC", "soon"),
        ])
        .expect_err("six bad variables accepted");
        let names: Vec<&str> = errors.iter().map(ConfigError::variable).collect();
        assert_eq!(
            names,
            [
                "PORT",
                "HOST",
                "LOG_FORMAT",
                "SHUTDOWN_TIMEOUT",
                "SHUTDOWN_DELAY",
                "WATCHDOG_USEC"
            ]
        );
        assert_eq!(errors.to_string().lines().count(), 6, "{errors}");
    }

    #[test]
    fn health_port_is_compared_with_a_valid_port_only() {
        let names = |vars: &[(&'static str, &str)]| -> Vec<String> {
            config(vars)
                .map(|_| Vec::new())
                .unwrap_or_else(|errors| errors.iter().map(|e| e.variable().to_owned()).collect())
        };
        // A bad PORT is not "8080", so HEALTH_PORT=8080 is not blamed for equalling it.
        assert_eq!(names(&[("PORT", "abc"), ("HEALTH_PORT", "8080")]), ["PORT"]);
        assert_eq!(
            names(&[("PORT", "9000"), ("HEALTH_PORT", "9000")]),
            ["HEALTH_PORT"]
        );
        // Unset PORT means the default, 8080.
        assert_eq!(names(&[("HEALTH_PORT", "8080")]), ["HEALTH_PORT"]);
        assert_eq!(
            config(&[("HEALTH_PORT", "9090")]).unwrap().health_port,
            Some(9090)
        );
        assert_eq!(config(&[]).unwrap().health_port, None);
    }

    #[test]
    fn non_utf8_values_are_errors_alongside_the_rest() {
        use std::os::unix::ffi::OsStringExt;
        let map: HashMap<&str, OsString> = [
            ("HOST", OsString::from_vec(vec![0xff, b'x'])),
            ("PORT", OsString::from("-3")),
        ]
        .into_iter()
        .collect();
        let errors = RuntimeVars::from_lookup(&Defaults::DEFAULT, 1, &|name| map.get(name).cloned())
            .expect_err("accepted");
        let names: Vec<&str> = errors.iter().map(ConfigError::variable).collect();
        assert_eq!(names, ["HOST", "PORT"]);
    }
}
