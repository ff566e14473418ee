//! `TWELVE_FACTOR_MANIFEST`: the binary prints its manifests, or checks existing ones, and
//! exits, before anything else is read.

use crate::cli::ProcessType;
use crate::config::variable::Variable;
use crate::deploy::check::check;
use crate::deploy::contract::{Contract, Listener, RuntimeValues, DEFAULT_HEALTH_PORT};
use crate::deploy::emit::{emit, Kind};
use crate::deploy::flags::Flags;
use std::ffi::OsString;
use std::io::Write;
use std::time::Duration;

/// The variable that turns the binary into its own manifest tool.
pub const MANIFEST_VARIABLE: &str = "TWELVE_FACTOR_MANIFEST";

/// What the binary knows about itself, for the contract: the attribute's defaults and the
/// configuration's variables. The listeners and process types come separately.
pub struct Known<'a> {
    /// The port used when `PORT` is unset.
    pub default_port: u16,
    /// The drain deadline used when `SHUTDOWN_TIMEOUT` is unset.
    pub shutdown_timeout: Duration,
    /// `LOG_FORMAT`'s default: `text` or `json`; `None` when logging is off.
    pub log_format: Option<&'static str>,
    /// The runtime's variables.
    pub builtin: &'a [Variable],
    /// The configuration's variables.
    pub config: &'a [Variable],
}

/// When `TWELVE_FACTOR_MANIFEST` is set: emits or checks, then exits (0; 1 with drifts; 64
/// for an unknown kind). Returns at once when it is unset. `listeners` are the declared
/// listeners besides `PORT`, `process_types` the binary's types.
pub fn intercept(known: &Known<'_>, listeners: &[Listener], process_types: &[ProcessType]) {
    let Some(request) = std::env::var_os(MANIFEST_VARIABLE) else {
        return;
    };
    let var = |name: &str| std::env::var(name).ok();
    let paths: Vec<OsString> = std::env::args_os().skip(1).collect();
    let (code, out, err) = respond(&request.to_string_lossy(), &var, known, listeners, process_types, &paths);
    // Errors on stdout (a closed pipe) change nothing: the exit code says what happened.
    let _ = std::io::stdout().write_all(out.as_bytes());
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().write_all(err.as_bytes());
    std::process::exit(code)
}

/// The exit code, stdout and stderr of a request (`kubernetes`, `systemd`, `procfile`,
/// `check`) under the variables `var`; `paths` are the manifests to check.
pub fn respond(
    request: &str,
    var: &dyn Fn(&str) -> Option<String>,
    known: &Known<'_>,
    listeners: &[Listener],
    process_types: &[ProcessType],
    paths: &[OsString],
) -> (i32, String, String) {
    let program = program_name();
    let mut err = String::new();
    let values = values(var, known, &mut err, &program);
    let contract = Contract::new(&program, &values, known.builtin, known.config, listeners, process_types);
    let (flags, problems) = Flags::from_vars(var);
    for problem in problems {
        err.push_str(&format!("{program}: {problem}\n"));
    }
    if request == "check" {
        let paths: Vec<std::path::PathBuf> = if paths.is_empty() {
            vec!["deploy".into()]
        } else {
            paths.iter().map(Into::into).collect()
        };
        let drifts = check(&contract, &paths);
        let mut out = String::new();
        for drift in &drifts {
            out.push_str(&format!("{drift}\n"));
        }
        return (i32::from(!drifts.is_empty()), out, err);
    }
    match Kind::from_name(request) {
        Some(kind) => (0, emit(kind, &contract, &flags), err),
        None => {
            err.push_str(&format!(
                "{program}: invalid {MANIFEST_VARIABLE}={request:?}: expected kubernetes, systemd, procfile or check\n"
            ));
            (crate::exit_code::USAGE, String::new(), err)
        }
    }
}

/// The contract's values: the environment's where they are valid, else the defaults (a bad
/// value is a line on stderr, not a failure: the manifests are for another environment).
fn values(
    var: &dyn Fn(&str) -> Option<String>,
    known: &Known<'_>,
    err: &mut String,
    program: &str,
) -> RuntimeValues {
    let mut read = |name: &str, expected: &str, shown_default: String, ok: &dyn Fn(&str) -> bool| {
        let value = var(name)?;
        if ok(value.trim()) {
            return Some(value.trim().to_owned());
        }
        err.push_str(&format!(
            "{program}: {name}={value:?} is not {expected}; the manifests use {shown_default}\n"
        ));
        None
    };
    let port_ok = |text: &str| text.parse::<u16>().is_ok_and(|port| port != 0);
    let duration_ok = |text: &str| crate::config::duration::parse(text).is_some();
    let port = read("PORT", "a port", known.default_port.to_string(), &port_ok)
        .and_then(|text| text.parse().ok())
        .unwrap_or(known.default_port);
    let health_port = read("HEALTH_PORT", "a port", DEFAULT_HEALTH_PORT.to_string(), &port_ok)
        .and_then(|text| text.parse().ok())
        .unwrap_or(DEFAULT_HEALTH_PORT);
    let duration = |text: Option<String>, default: Duration| {
        text.and_then(|text| crate::config::duration::parse(&text))
            .unwrap_or(default)
    };
    let delay = read("SHUTDOWN_DELAY", "a duration", "0s".to_owned(), &duration_ok);
    let timeout = read(
        "SHUTDOWN_TIMEOUT",
        "a duration",
        crate::config::duration::display(known.shutdown_timeout),
        &duration_ok,
    );
    RuntimeValues {
        port,
        health_port,
        shutdown_delay: duration(delay, Duration::ZERO),
        shutdown_timeout: duration(timeout, known.shutdown_timeout),
        log_format: known.log_format,
    }
}

/// The binary's file name: the service's name in the manifests.
fn program_name() -> String {
    std::env::args_os()
        .next()
        .map(std::path::PathBuf::from)
        .and_then(|path| path.file_name().map(|name| name.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "app".to_owned())
}
