//! [`Contract`]: what a deployment of this binary must respect, as plain data: its variables,
//! listeners, process types, probe port, stop timing and the exit codes not to restart on.

use crate::cli::ProcessType;
use crate::config::variable::Variable;
use std::time::Duration;

/// The port the manifests give the probe listener when `HEALTH_PORT` has no value at emit time.
pub const DEFAULT_HEALTH_PORT: u16 = 9000;

/// The exit codes a manager must not restart on: 78 (bad configuration) and 64 (bad usage,
/// such as an unknown process type). Restarting cannot fix either.
pub const NO_RESTART_EXIT_CODES: [i32; 2] = [crate::exit_code::CONFIG, crate::exit_code::USAGE];

/// The time a manager should allow on top of `SHUTDOWN_DELAY + SHUTDOWN_TIMEOUT` before it
/// kills the process: the exit itself, the log flush.
pub const STOP_MARGIN: Duration = Duration::from_secs(5);

/// The variables the platform sets for the process (systemd's notify socket, watchdog, socket
/// activation and journal): manifests never set them.
pub const PLATFORM_VARIABLES: [&str; 7] = [
    "NOTIFY_SOCKET",
    "WATCHDOG_USEC",
    "WATCHDOG_PID",
    "LISTEN_FDS",
    "LISTEN_PID",
    "LISTEN_FDNAMES",
    "JOURNAL_STREAM",
];

/// One listening socket: the main one (`PORT`, named `http`) or a declared one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listener {
    /// Its name: the Service's port name, the socket unit's `FileDescriptorName=`.
    pub name: String,
    /// The variable that sets its port (`PORT`, `ADMIN_PORT`).
    pub env: String,
    /// Its port in the manifests.
    pub port: u16,
}

impl Listener {
    /// A listener named `name` on `port`, its port read from `env`.
    pub fn new(name: &str, env: &str, port: u16) -> Listener {
        Listener {
            name: name.to_owned(),
            env: env.to_owned(),
            port,
        }
    }
}

/// What a manifest should do with a variable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// Set it to this value (its default, or the value the contract gives it).
    Set(String),
    /// It has no default and must be set: the manifest has a placeholder to fill.
    Required,
    /// It may be left unset: shown as a comment.
    Optional,
    /// The platform sets it (systemd's variables): never in a manifest.
    Platform,
}

/// One variable of the env table, as the manifests show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnvVar {
    /// Its name.
    pub name: String,
    /// Its documentation, one line.
    pub doc: String,
    /// What the manifests set it to.
    pub value: Value,
    /// A secret: from a Kubernetes Secret or a systemd credential, never a plain value.
    pub secret: bool,
}

/// Everything a deployment of the binary must respect. Built from what the binary knows
/// ([`Contract::new`]), then emitted as manifests or checked against existing ones.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Contract {
    /// The service's name: the binary's name, as manifests name their objects.
    pub name: String,
    /// The container image used when `TWELVE_FACTOR_IMAGE` is unset: `NAME:latest`.
    pub image: String,
    /// Every variable of the env table, in its order: the runtime's own, the listeners' ports,
    /// then the configuration's.
    pub variables: Vec<EnvVar>,
    /// The main listener (`PORT`), then the declared ones.
    pub listeners: Vec<Listener>,
    /// The process types; empty when the binary has none (one long-running process).
    pub process_types: Vec<ProcessType>,
    /// The probe port (`HEALTH_PORT`): `/livez` and `/readyz`.
    pub health_port: u16,
    /// `SHUTDOWN_DELAY`: serving on after SIGTERM.
    pub shutdown_delay: Duration,
    /// `SHUTDOWN_TIMEOUT`: the drain deadline after the delay.
    pub shutdown_timeout: Duration,
}

/// The values of the runtime's variables that the contract starts from (the attribute's
/// defaults, or the environment at emit time).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuntimeValues {
    /// `PORT`.
    pub port: u16,
    /// `HEALTH_PORT`.
    pub health_port: u16,
    /// `SHUTDOWN_DELAY`.
    pub shutdown_delay: Duration,
    /// `SHUTDOWN_TIMEOUT`.
    pub shutdown_timeout: Duration,
    /// `LOG_FORMAT`: `text` or `json`; `None` when the attribute turns logging off.
    pub log_format: Option<&'static str>,
}

impl Contract {
    /// The contract of binary `name`: `builtin` are the runtime's variables, `config` the
    /// configuration's; `listeners` are the declared listeners besides `PORT` (name, variable,
    /// port) and `process_types` the binary's types (empty for none).
    pub fn new(
        name: &str,
        values: &RuntimeValues,
        builtin: &[Variable],
        config: &[Variable],
        listeners: &[Listener],
        process_types: &[ProcessType],
    ) -> Contract {
        let name = object_name(name);
        let mut all = vec![Listener::new("http", "PORT", values.port)];
        all.extend(listeners.iter().cloned());
        let mut variables: Vec<EnvVar> = builtin
            .iter()
            .map(|variable| builtin_var(variable, values))
            .collect();
        for listener in &all {
            if !variables.iter().any(|known| known.name == listener.env) {
                variables.push(EnvVar {
                    name: listener.env.clone(),
                    doc: format!("TCP port of the `{}` listener", listener.name),
                    value: Value::Set(listener.port.to_string()),
                    secret: false,
                });
            } else if let Some(known) = variables.iter_mut().find(|v| v.name == listener.env) {
                known.value = Value::Set(listener.port.to_string());
            }
        }
        variables.extend(config.iter().map(config_var));
        Contract {
            image: format!("{name}:latest"),
            name,
            variables,
            listeners: all,
            process_types: process_types.to_vec(),
            health_port: values.health_port,
            shutdown_delay: values.shutdown_delay,
            shutdown_timeout: values.shutdown_timeout,
        }
    }

    /// How long a manager must wait after SIGTERM before killing the process:
    /// `SHUTDOWN_DELAY + SHUTDOWN_TIMEOUT`.
    pub fn stop_time(&self) -> Duration {
        self.shutdown_delay.saturating_add(self.shutdown_timeout)
    }

    /// What the manifests allow: [`stop_time`](Contract::stop_time) + [`STOP_MARGIN`], in whole
    /// seconds rounded up.
    pub fn grace_seconds(&self) -> u64 {
        let total = self.stop_time().saturating_add(STOP_MARGIN);
        total.as_secs() + u64::from(total.subsec_nanos() > 0)
    }

    /// The long-running types; one unnamed process when the binary has no types.
    pub fn long_running(&self) -> Vec<Option<&ProcessType>> {
        if self.process_types.is_empty() {
            return vec![None];
        }
        self.process_types
            .iter()
            .filter(|kind| !kind.one_off)
            .map(Some)
            .collect()
    }

    /// The one-off types.
    pub fn one_off(&self) -> impl Iterator<Item = &ProcessType> {
        self.process_types.iter().filter(|kind| kind.one_off)
    }

    /// The one-off type a Procfile runs as `release:`: the one named `release`, or else the
    /// only one-off type.
    pub fn release_type(&self) -> Option<&ProcessType> {
        let one_off: Vec<&ProcessType> = self.one_off().collect();
        one_off
            .iter()
            .find(|kind| kind.name == "release")
            .or(if one_off.len() == 1 { one_off.first() } else { None })
            .copied()
    }

    /// The type that takes the listeners under systemd socket activation: the default type
    /// when it is long-running, else the first long-running type.
    pub fn serving_type(&self) -> Option<&ProcessType> {
        let long: Vec<&ProcessType> = self.long_running().into_iter().flatten().collect();
        long.iter()
            .find(|kind| kind.default)
            .or(long.first())
            .copied()
    }

    /// The variable named `name`.
    pub fn variable(&self, name: &str) -> Option<&EnvVar> {
        self.variables.iter().find(|variable| variable.name == name)
    }
}

fn builtin_var(variable: &Variable, values: &RuntimeValues) -> EnvVar {
    let value = match variable.name {
        name if PLATFORM_VARIABLES.contains(&name) => Value::Platform,
        "PORT" => Value::Set(values.port.to_string()),
        "HEALTH_PORT" => Value::Set(values.health_port.to_string()),
        "SHUTDOWN_DELAY" => Value::Set(crate::config::duration::display(values.shutdown_delay)),
        "SHUTDOWN_TIMEOUT" => {
            Value::Set(crate::config::duration::display(values.shutdown_timeout))
        }
        "LOG_FORMAT" => match values.log_format {
            Some(format) => Value::Set(format.to_owned()),
            None => Value::Optional,
        },
        "HOST" => Value::Set("0.0.0.0".to_owned()),
        "RUST_LOG" => Value::Set("info".to_owned()),
        _ => match variable.default {
            Some(default) => Value::Set(default.to_owned()),
            None => Value::Optional,
        },
    };
    EnvVar {
        name: variable.name.to_owned(),
        doc: one_line(variable.doc),
        value,
        secret: variable.secret,
    }
}

fn config_var(variable: &Variable) -> EnvVar {
    let value = match (variable.default, variable.required) {
        (Some(default), _) => Value::Set(default.to_owned()),
        (None, true) => Value::Required,
        (None, false) => Value::Optional,
    };
    EnvVar {
        name: variable.name.to_owned(),
        doc: one_line(variable.doc),
        value,
        secret: variable.secret,
    }
}

/// `text` on one line, without Markdown backticks.
fn one_line(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('`', "")
}

/// A name every manager accepts (Kubernetes' DNS-1123 labels): lowercase ASCII letters,
/// digits and `-`, at most 63 characters, `app` when nothing is left.
pub fn object_name(name: &str) -> String {
    let mapped: String = name
        .chars()
        .map(|c| match c {
            'a'..='z' | '0'..='9' => c,
            'A'..='Z' => c.to_ascii_lowercase(),
            _ => '-',
        })
        .collect();
    let trimmed: String = mapped.trim_matches('-').chars().take(63).collect();
    let trimmed = trimmed.trim_end_matches('-');
    if trimmed.is_empty() {
        "app".to_owned()
    } else {
        trimmed.to_owned()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::config::table::BUILTIN_VARIABLES;

    const CONFIG: [Variable; 3] = [
        Variable {
            name: "SHOP_DATABASE_URL",
            field: "database_url",
            doc: "Postgres connection string.",
            default: None,
            required: true,
            secret: false,
        },
        Variable {
            name: "SHOP_API_TOKEN",
            field: "api_token",
            doc: "Token of the payment API.",
            default: None,
            required: true,
            secret: true,
        },
        Variable {
            name: "SHOP_WORKERS",
            field: "workers",
            doc: "Worker threads.",
            default: Some("4"),
            required: false,
            secret: false,
        },
    ];

    const TYPES: [ProcessType; 3] = [
        ProcessType {
            name: "web",
            doc: "Serves HTTP.",
            one_off: false,
            default: true,
        },
        ProcessType {
            name: "worker",
            doc: "Consumes the queue.",
            one_off: false,
            default: false,
        },
        ProcessType {
            name: "release",
            doc: "Runs the migrations, then exits.",
            one_off: true,
            default: false,
        },
    ];

    pub(crate) fn values() -> RuntimeValues {
        RuntimeValues {
            port: 8080,
            health_port: 9000,
            shutdown_delay: Duration::from_secs(5),
            shutdown_timeout: Duration::from_secs(20),
            log_format: Some("text"),
        }
    }

    /// A shop with a configuration, two declared listeners and web/worker/release types.
    pub(crate) fn shop() -> Contract {
        Contract::new(
            "shop_svc",
            &values(),
            &BUILTIN_VARIABLES,
            &CONFIG,
            &[
                Listener::new("admin", "ADMIN_PORT", 9091),
                Listener::new("metrics", "METRICS_PORT", 9100),
            ],
            &TYPES,
        )
    }

    /// A binary with nothing declared.
    pub(crate) fn bare() -> Contract {
        Contract::new("hello", &values(), &BUILTIN_VARIABLES, &[], &[], &[])
    }

    #[test]
    fn every_variable_of_the_env_table_in_order() {
        let shop = shop();
        let names: Vec<&str> = shop.variables.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names.len(), BUILTIN_VARIABLES.len() + 2 + CONFIG.len());
        assert_eq!(names[0], "PORT");
        assert_eq!(&names[names.len() - 3..], ["SHOP_DATABASE_URL", "SHOP_API_TOKEN", "SHOP_WORKERS"]);
        assert_eq!(shop.variable("ADMIN_PORT").unwrap().value, Value::Set("9091".into()));
        assert_eq!(shop.variable("SHOP_DATABASE_URL").unwrap().value, Value::Required);
        assert!(shop.variable("SHOP_API_TOKEN").unwrap().secret);
        assert_eq!(shop.variable("LISTEN_FDS").unwrap().value, Value::Platform);
        assert_eq!(shop.variable("SHUTDOWN_TIMEOUT").unwrap().value, Value::Set("20s".into()));
        assert_eq!(shop.variable("NO_COLOR").unwrap().value, Value::Optional);
    }

    #[test]
    fn every_platform_variable_is_a_builtin() {
        for name in PLATFORM_VARIABLES {
            assert!(BUILTIN_VARIABLES.iter().any(|v| v.name == name), "{name}");
        }
    }

    #[test]
    fn names_and_timings() {
        let shop = shop();
        assert_eq!(shop.name, "shop-svc");
        assert_eq!(shop.image, "shop-svc:latest");
        assert_eq!(shop.grace_seconds(), 30);
        assert_eq!(shop.serving_type().unwrap().name, "web");
        assert_eq!(shop.release_type().unwrap().name, "release");
        assert_eq!(shop.long_running().len(), 2);
        assert_eq!(bare().long_running(), vec![None]);
        assert_eq!(object_name("__"), "app");
        assert_eq!(object_name("My_Svc.v2"), "my-svc-v2");
    }
}
