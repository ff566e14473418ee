//! The configuration, read from the environment once, before anything starts.
//!
//! Every variable is validated up front: a bad value is one line on stderr and exit code 78, and
//! nothing has been bound or logged by then.

use crate::activation::{self, Activation};
use crate::duration;
use crate::notify::{self, NotifyTarget};
use crate::settings::{LogSetting, Settings};
use std::ffi::OsString;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;
use tracing_subscriber::EnvFilter;

/// A configuration variable with a value the process cannot run with.
///
/// Its `Display` is the one line printed on stderr before exiting with code 78:
///
/// ```
/// # use twelvefactor_runtime::ConfigError;
/// let error = ConfigError::new("PORT", "abc", "expected an integer from 0 to 65535");
/// assert_eq!(
///     error.to_string(),
///     r#"invalid PORT="abc": expected an integer from 0 to 65535"#
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    variable: &'static str,
    value: String,
    expected: String,
}

impl ConfigError {
    /// A bad `value` of `variable`, and what would have been accepted.
    ///
    /// ```
    /// # use twelvefactor_runtime::ConfigError;
    /// let error = ConfigError::new("HOST", "nope", "expected an IP address");
    /// assert_eq!(error.variable(), "HOST");
    /// ```
    pub fn new(
        variable: &'static str,
        value: impl Into<String>,
        expected: impl Into<String>,
    ) -> Self {
        ConfigError {
            variable,
            value: value.into(),
            expected: expected.into(),
        }
    }

    /// The environment variable at fault.
    ///
    /// ```
    /// # use twelvefactor_runtime::ConfigError;
    /// assert_eq!(ConfigError::new("PORT", "-1", "a port").variable(), "PORT");
    /// ```
    pub fn variable(&self) -> &'static str {
        self.variable
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid {}={:?}: {}",
            self.variable, self.value, self.expected
        )
    }
}

impl std::error::Error for ConfigError {}

/// The log output the process uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LogFormat {
    Text,
    Json,
    Off,
}

/// Everything read from the environment.
#[derive(Debug)]
pub(crate) struct Config {
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

impl Config {
    /// Reads the process environment.
    pub(crate) fn from_env(settings: &Settings) -> Result<Config, ConfigError> {
        let pid = std::process::id();
        let mut config = Config::from_lookup(settings, pid, &|name| std::env::var_os(name))?;
        config.activation.claim()?;
        Ok(config)
    }

    /// Reads the configuration through `lookup`, as the process `pid`.
    pub(crate) fn from_lookup(
        settings: &Settings,
        pid: u32,
        lookup: Lookup,
    ) -> Result<Config, ConfigError> {
        let var = |name: &'static str| -> Result<Option<String>, ConfigError> {
            match lookup(name) {
                None => Ok(None),
                Some(value) => value.into_string().map(Some).map_err(|raw| {
                    ConfigError::new(name, raw.to_string_lossy(), "not valid UTF-8")
                }),
            }
        };
        let port = match var("PORT")? {
            None => settings.default_port,
            Some(text) => text
                .parse::<u16>()
                .ok()
                .filter(|_| text.bytes().all(|b| b.is_ascii_digit()))
                .ok_or_else(|| {
                    ConfigError::new("PORT", &text, "expected an integer from 0 to 65535")
                })?,
        };
        let host = match var("HOST")? {
            None => IpAddr::V4(Ipv4Addr::UNSPECIFIED),
            Some(text) => text.parse::<IpAddr>().map_err(|_| {
                ConfigError::new(
                    "HOST",
                    &text,
                    "expected an IP address such as 0.0.0.0, 127.0.0.1 or ::",
                )
            })?,
        };
        let log_format = match (settings.log, var("LOG_FORMAT")?) {
            (LogSetting::Off, _) => LogFormat::Off,
            (_, Some(text)) => match text.as_str() {
                "text" => LogFormat::Text,
                "json" => LogFormat::Json,
                _ => {
                    return Err(ConfigError::new(
                        "LOG_FORMAT",
                        &text,
                        "expected `text` or `json`",
                    ))
                }
            },
            (LogSetting::Json, None) => LogFormat::Json,
            (LogSetting::Text, None) => LogFormat::Text,
        };
        let filter = match var("RUST_LOG")? {
            Some(text) if !text.trim().is_empty() => {
                if log_format != LogFormat::Off {
                    EnvFilter::builder().parse(&text).map_err(|error| {
                        ConfigError::new("RUST_LOG", &text, format!("not a tracing filter ({error}); e.g. `info` or `info,my_crate=debug`"))
                    })?;
                }
                text
            }
            _ => "info".to_owned(),
        };
        let no_color = var("NO_COLOR")?.is_some_and(|value| !value.is_empty());
        let journal_stream = var("JOURNAL_STREAM")?.and_then(|text| parse_journal_stream(&text));
        let shutdown_timeout = duration_var(&var, "SHUTDOWN_TIMEOUT", settings.shutdown_timeout)?;
        let shutdown_delay = duration_var(&var, "SHUTDOWN_DELAY", Duration::ZERO)?;
        let notify = var("NOTIFY_SOCKET")?
            .map(|text| {
                notify::parse_target(&text)
                    .map_err(|why| ConfigError::new("NOTIFY_SOCKET", &text, why))
            })
            .transpose()?;
        let watchdog = notify::parse_watchdog(
            var("WATCHDOG_USEC")?.as_deref(),
            var("WATCHDOG_PID")?.as_deref(),
            pid,
        )?;
        let activation = activation::parse(
            var("LISTEN_PID")?.as_deref(),
            var("LISTEN_FDS")?.as_deref(),
            var("LISTEN_FDNAMES")?.as_deref(),
            pid,
        )?;
        // The probe listener (health.rs); checked against PORT.
        let health_port = var("HEALTH_PORT")?
            .map(|text| crate::health::parse_port(&text, port))
            .transpose()?;
        Ok(Config {
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

fn duration_var(
    var: &dyn Fn(&'static str) -> Result<Option<String>, ConfigError>,
    name: &'static str,
    default: Duration,
) -> Result<Duration, ConfigError> {
    match var(name)? {
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

    fn config(vars: &[(&'static str, &str)]) -> Result<Config, ConfigError> {
        config_with(&Settings::DEFAULT, vars)
    }

    fn config_with(
        settings: &Settings,
        vars: &[(&'static str, &str)],
    ) -> Result<Config, ConfigError> {
        let map: HashMap<&str, OsString> =
            vars.iter().map(|(k, v)| (*k, OsString::from(v))).collect();
        Config::from_lookup(settings, 4242, &|name| map.get(name).cloned())
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
        let settings = Settings {
            default_port: 3000,
            log: LogSetting::Json,
            shutdown_timeout: Duration::from_secs(20),
            ..Settings::DEFAULT
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
            let error = config(&[(name, value), ("LISTEN_PID", "4242")])
                .expect_err(&format!("{name}={value:?} accepted"));
            assert_eq!(error.variable(), *name, "{name}={value:?}");
            let line = error.to_string();
            assert!(
                line.starts_with(&format!("invalid {name}={value:?}: ")),
                "{line}"
            );
            assert!(!line.contains('\n'), "{line}");
        }
    }

    #[test]
    fn log_off_ignores_rust_log_syntax() {
        let settings = Settings {
            log: LogSetting::Off,
            ..Settings::DEFAULT
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
}
