//! The check of systemd units against the contract.

use crate::deploy::contract::{Contract, Value, NO_RESTART_EXIT_CODES};
use crate::deploy::drift::{Drift, Effective};
use crate::deploy::unit_file::{assignments, parse, time_span, Entry};
use std::collections::HashMap;
use std::time::Duration;

/// systemd's `DefaultTimeoutStopSec`, used when a unit sets no `TimeoutStopSec=`.
const DEFAULT_TIMEOUT_STOP: Duration = Duration::from_secs(90);

/// The drifts of the `.service` and `.socket` files `units` (name, text).
pub fn check(contract: &Contract, units: &[(String, String)]) -> Vec<Drift> {
    let mut drifts = Vec::new();
    let mut sockets = Vec::new();
    let mut execs = Vec::new();
    let mut port_env = HashMap::new();
    for (file, text) in units {
        let entries = parse(text);
        if file.ends_with(".socket") {
            sockets.push((file.as_str(), entries));
            continue;
        }
        let env = service(contract, file, &entries, &mut drifts);
        execs.extend(values(&entries, "ExecStart").into_iter().map(str::to_owned));
        if port_env.is_empty() {
            port_env = env;
        }
    }
    let first = units.first().map_or("systemd units", |(file, _)| file.as_str());
    let names_a_type = |exec: &str| {
        exec.split_whitespace().any(|word| {
            word == "%i" || contract.process_types.iter().any(|kind| kind.name == word)
        })
    };
    // A command that names no type runs the default type, as the binary does without one.
    let runs_default = execs.iter().any(|exec| !names_a_type(exec));
    // A one-off is not a service: under systemd it runs by hand or from `ExecStartPre=`, so
    // only the long-running types need a unit.
    for kind in contract.process_types.iter().filter(|kind| !kind.one_off) {
        let runs = (kind.default && runs_default)
            || execs.iter().any(|exec| {
                exec.split_whitespace()
                    .any(|word| word == kind.name || word == "%i")
            });
        if !runs {
            drifts.push(Drift::new(
                first,
                format!(
                    "no unit runs process type `{}`; add a template unit `{}@.service` with `ExecStart=… %i`",
                    kind.name, contract.name
                ),
            ));
        }
    }
    if !sockets.is_empty() {
        let effective = Effective::new(contract, &port_env);
        listeners(contract, &effective, &sockets, &mut drifts);
    }
    drifts
}

/// The values of every `key` entry, in order.
fn values<'a>(entries: &'a [Entry], key: &str) -> Vec<&'a str> {
    entries
        .iter()
        .filter(|entry| entry.key == key)
        .map(|entry| entry.value.as_str())
        .collect()
}

/// Checks one service unit; returns the variables it sets to plain values.
fn service(
    contract: &Contract,
    file: &str,
    entries: &[Entry],
    drifts: &mut Vec<Drift>,
) -> HashMap<String, String> {
    let mut env = HashMap::new();
    for value in values(entries, "Environment") {
        if value.is_empty() {
            env.clear();
        }
        env.extend(assignments(value));
    }
    let from_files = !values(entries, "EnvironmentFile").is_empty();
    let one_off = values(entries, "Type").last() == Some(&"oneshot");
    for variable in &contract.variables {
        let name = &variable.name;
        let plain = env.contains_key(name);
        if variable.secret && plain {
            drifts.push(Drift::new(
                file,
                format!(
                    "secret {name} is set as a plain value; remove `Environment={name}=…` and use \
                     `LoadCredential={name}:…` with `Environment={name}_FILE=%d/{name}`"
                ),
            ));
        }
        let set = plain || env.contains_key(&format!("{name}_FILE"));
        if variable.value == Value::Required && !set && !from_files {
            drifts.push(Drift::new(
                file,
                format!("required variable {name} is not set; add `Environment={name}=…` ({})", variable.doc),
            ));
        }
    }
    let effective = Effective::new(contract, &env);
    if !one_off {
        let codes: Vec<&str> = values(entries, "RestartPreventExitStatus")
            .iter()
            .flat_map(|value| value.split_whitespace())
            .collect();
        for code in NO_RESTART_EXIT_CODES {
            if !codes.contains(&code.to_string().as_str()) {
                drifts.push(Drift::new(
                    file,
                    format!(
                        "RestartPreventExitStatus lacks {code}: a restart cannot fix it; set \
                         `RestartPreventExitStatus=78 64`"
                    ),
                ));
            }
        }
    }
    let stop = values(entries, "TimeoutStopSec")
        .last()
        .or(values(entries, "TimeoutSec").last())
        .map_or(Some(DEFAULT_TIMEOUT_STOP), |text| time_span(text));
    if let Some(stop) = stop {
        if stop < effective.stop_time {
            drifts.push(Drift::new(
                file,
                format!(
                    "TimeoutStopSec ({}s) is shorter than SHUTDOWN_DELAY + SHUTDOWN_TIMEOUT ({}s); \
                     set `TimeoutStopSec={}s`",
                    stop.as_secs_f64(),
                    effective.stop_time.as_secs_f64(),
                    effective.stop_seconds() + 5
                ),
            ));
        }
    }
    env
}

fn listeners(
    contract: &Contract,
    effective: &Effective,
    sockets: &[(&str, Vec<Entry>)],
    drifts: &mut Vec<Drift>,
) {
    for listener in &contract.listeners {
        let port = effective.port(&listener.name);
        let named = sockets.iter().find(|(_, entries)| {
            values(entries, "FileDescriptorName").last() == Some(&listener.name.as_str())
        });
        match named {
            None => drifts.push(Drift::new(
                sockets[0].0,
                format!(
                    "no socket unit for listener `{}`; add `{}-{}.socket` with `ListenStream={port}` \
                     and `FileDescriptorName={}`",
                    listener.name, contract.name, listener.name, listener.name
                ),
            )),
            Some((file, entries)) => {
                let streams = values(entries, "ListenStream");
                let on_port = streams.iter().any(|stream| {
                    stream.rsplit(':').next().and_then(|p| p.parse::<u16>().ok()) == Some(port)
                });
                if !on_port {
                    drifts.push(Drift::new(
                        file,
                        format!(
                            "listener `{}` listens on {}, not on its port {port}; set `ListenStream={port}`",
                            listener.name,
                            streams.join(" ")
                        ),
                    ));
                }
            }
        }
    }
}
