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
            listeners: &[],
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
        let read = config(&[("RUST_LOG", &blowup)]);
        if cfg!(feature = "env-filter") {
            assert_eq!(read.unwrap().filter, blowup);
        } else {
            // Without `env-filter` a field directive is refused, naming the feature.
            let line = read.unwrap_err().to_string();
            assert!(line.contains("env-filter"), "{line}");
        }
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

    const LISTENERS: &[ListenerDecl] = &[
        ListenerDecl {
            name: "admin",
            env: "ADMIN_PORT",
            default_port: 9091,
        },
        ListenerDecl {
            name: "grpc",
            env: "GRPC_PORT",
            default_port: 50051,
        },
    ];

    fn with_listeners(vars: &[(&'static str, &str)]) -> Result<RuntimeVars, ConfigErrors> {
        let settings = Defaults {
            listeners: LISTENERS,
            ..Defaults::DEFAULT
        };
        config_with(&settings, vars)
    }

    #[test]
    fn declared_listeners_read_their_port_or_default() {
        let ports = |vars| {
            let config = with_listeners(vars).unwrap();
            (config.listener("admin").map(|l| l.1), config.listener("grpc").map(|l| l.1))
        };
        assert_eq!(ports(&[]), (Some(9091), Some(50051)));
        assert_eq!(ports(&[("ADMIN_PORT", "7000")]), (Some(7000), Some(50051)));
        // Port 0 (any free port) may repeat.
        assert_eq!(
            ports(&[("PORT", "0"), ("ADMIN_PORT", "0"), ("GRPC_PORT", "0")]),
            (Some(0), Some(0))
        );
        assert_eq!(with_listeners(&[]).unwrap().listener("metrics"), None);
    }

    #[test]
    fn declared_listeners_report_one_line_per_bad_variable() {
        let lines = |vars| -> Vec<String> {
            with_listeners(vars)
                .err()
                .map(|errors| errors.iter().map(ToString::to_string).collect())
                .unwrap_or_default()
        };
        assert_eq!(
            lines(&[("ADMIN_PORT", "abc")]),
            [r#"invalid ADMIN_PORT="abc": expected an integer from 0 to 65535"#]
        );
        assert_eq!(
            lines(&[("PORT", "9000"), ("ADMIN_PORT", "9000")]),
            [r#"invalid ADMIN_PORT="9000": must differ from PORT (9000): each listener needs a port of its own"#]
        );
        assert_eq!(
            lines(&[("HEALTH_PORT", "7000"), ("GRPC_PORT", "7000")]),
            [r#"invalid GRPC_PORT="7000": must differ from HEALTH_PORT (7000): each listener needs a port of its own"#]
        );
        // A default that collides is named too.
        let default = lines(&[("PORT", "9091")]);
        assert_eq!(default.len(), 1, "{default:?}");
        assert!(default[0].starts_with(r#"invalid ADMIN_PORT="9091": must differ from PORT"#));
        // Every bad one, in declaration order, beside the built-in ones.
        let all = lines(&[("HOST", "x"), ("ADMIN_PORT", "-1"), ("GRPC_PORT", "70000")]);
        let names: Vec<&str> = all.iter().map(|l| &l[8..l.find('=').unwrap()]).collect();
        assert_eq!(names, ["HOST", "ADMIN_PORT", "GRPC_PORT"]);
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
