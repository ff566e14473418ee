//! The check of Kubernetes manifests against the contract (the `manifest` feature: YAML
//! is read with `yaml-rust2`).

use crate::cli::ProcessType;
use crate::deploy::contract::{Contract, Value};
use crate::deploy::drift::{Drift, Effective};
use std::collections::HashMap;
use yaml_rust2::{Yaml, YamlLoader};

/// A workload found in the manifests.
struct Workload<'a> {
    file: &'a str,
    kind: String,
    name: String,
    /// The process type its container runs, when it names one.
    process: Option<&'a ProcessType>,
}

/// The drifts of the YAML files `files` (name, text).
pub fn check(contract: &Contract, files: &[(String, String)]) -> Vec<Drift> {
    let mut drifts = Vec::new();
    let mut workloads = Vec::new();
    let mut services = Vec::new();
    let mut serving_env = None;
    for (file, text) in files {
        let documents = match YamlLoader::load_from_str(text) {
            Ok(documents) => documents,
            Err(error) => {
                drifts.push(Drift::new(file, format!("is not valid YAML: {error}")));
                continue;
            }
        };
        for document in documents {
            let kind = document["kind"].as_str().unwrap_or_default().to_owned();
            let name = document["metadata"]["name"].as_str().unwrap_or_default().to_owned();
            let (pod, long_running) = match kind.as_str() {
                "Deployment" | "StatefulSet" | "DaemonSet" => (&document["spec"]["template"]["spec"], true),
                "Job" => (&document["spec"]["template"]["spec"], false),
                "CronJob" => (&document["spec"]["jobTemplate"]["spec"]["template"]["spec"], false),
                "Service" => {
                    services.push((file.as_str(), document.clone()));
                    continue;
                }
                _ => continue,
            };
            let Some(container) = container(contract, pod) else {
                drifts.push(Drift::new(file, format!("{kind} {name} has no containers")));
                continue;
            };
            let what = format!("{kind} {name}");
            let env = env(contract, file, &what, container, &mut drifts);
            let effective = Effective::new(contract, &env);
            grace(file, &what, pod, &effective, &mut drifts);
            if long_running {
                probes(file, &what, container, &effective, &mut drifts);
                if serving_env.is_none() {
                    serving_env = Some(env);
                }
            }
            workloads.push(Workload {
                file,
                kind,
                name,
                process: process(contract, container),
            });
        }
    }
    let first = files.first().map_or("kubernetes manifests", |(file, _)| file.as_str());
    coverage(contract, first, &workloads, &mut drifts);
    let effective = Effective::new(contract, &serving_env.unwrap_or_default());
    service_ports(contract, first, &effective, &services, &mut drifts);
    drifts
}

/// The container named like the service, else the first one.
fn container<'a>(contract: &Contract, pod: &'a Yaml) -> Option<&'a Yaml> {
    let containers = pod["containers"].as_vec()?;
    containers
        .iter()
        .find(|container| container["name"].as_str() == Some(contract.name.as_str()))
        .or(containers.first())
}

/// The process type the container runs: the first of its args, else of its command, that
/// names one.
fn process<'a>(contract: &'a Contract, container: &Yaml) -> Option<&'a ProcessType> {
    let words = ["args", "command"].into_iter().flat_map(|key| {
        container[key]
            .as_vec()
            .map(|words| words.iter().filter_map(Yaml::as_str).collect::<Vec<_>>())
            .unwrap_or_default()
    });
    words
        .into_iter()
        .find_map(|word| contract.process_types.iter().find(|kind| kind.name == word))
}

/// Checks the container's env; returns the variables it sets to plain values.
fn env(
    contract: &Contract,
    file: &str,
    what: &str,
    container: &Yaml,
    drifts: &mut Vec<Drift>,
) -> HashMap<String, String> {
    let mut plain = HashMap::new();
    let mut from_refs = Vec::new();
    for entry in container["env"].as_vec().map(Vec::as_slice).unwrap_or_default() {
        let Some(name) = entry["name"].as_str() else { continue };
        match &entry["value"] {
            Yaml::BadValue => from_refs.push(name.to_owned()),
            value => {
                let text = match value {
                    Yaml::String(text) | Yaml::Real(text) => text.clone(),
                    Yaml::Integer(number) => number.to_string(),
                    Yaml::Boolean(flag) => flag.to_string(),
                    _ => String::new(),
                };
                plain.insert(name.to_owned(), text);
            }
        }
    }
    let from_sources = container["envFrom"].as_vec().is_some_and(|sources| !sources.is_empty());
    for variable in &contract.variables {
        let name = &variable.name;
        if variable.secret && plain.contains_key(name) {
            drifts.push(Drift::new(
                file,
                format!(
                    "{what}: secret {name} is set as a plain value; take it from a Secret \
                     (`valueFrom: secretKeyRef`)"
                ),
            ));
        }
        let set = plain.contains_key(name) || from_refs.contains(name);
        if variable.value == Value::Required && !set && !from_sources {
            drifts.push(Drift::new(
                file,
                format!("{what}: required variable {name} is not set; add it to `env` ({})", variable.doc),
            ));
        }
    }
    plain
}

fn grace(file: &str, what: &str, pod: &Yaml, effective: &Effective, drifts: &mut Vec<Drift>) {
    // Kubernetes' default when the field is absent.
    let seconds = pod["terminationGracePeriodSeconds"].as_i64().unwrap_or(30);
    let needed = effective.stop_seconds();
    if u64::try_from(seconds).unwrap_or(0) < needed {
        drifts.push(Drift::new(
            file,
            format!(
                "{what}: terminationGracePeriodSeconds {seconds} is shorter than SHUTDOWN_DELAY + \
                 SHUTDOWN_TIMEOUT ({needed}s); set it to at least {}",
                needed + 5
            ),
        ));
    }
}

fn probes(file: &str, what: &str, container: &Yaml, effective: &Effective, drifts: &mut Vec<Drift>) {
    let health = effective.health_port;
    for (probe, path) in [("livenessProbe", "/livez"), ("readinessProbe", "/readyz")] {
        let get = &container[probe]["httpGet"];
        let fix = format!("set `{probe}.httpGet` to path {path}, port {health} (HEALTH_PORT)");
        if get.is_badvalue() {
            drifts.push(Drift::new(file, format!("{what}: no {probe} with httpGet; {fix}")));
            continue;
        }
        let actual_path = get["path"].as_str().unwrap_or("/");
        if actual_path != path {
            drifts.push(Drift::new(file, format!("{what}: {probe} is on path {actual_path}; {fix}")));
        }
        let port = match &get["port"] {
            Yaml::Integer(port) => Some(*port),
            Yaml::String(name) => container["ports"].as_vec().and_then(|ports| {
                ports
                    .iter()
                    .find(|port| port["name"].as_str() == Some(name.as_str()))
                    .and_then(|port| port["containerPort"].as_i64())
            }),
            _ => None,
        };
        if port != Some(i64::from(health)) {
            let shown = port.map_or("an unknown port".to_owned(), |port| format!("port {port}"));
            drifts.push(Drift::new(file, format!("{what}: {probe} is on {shown}; {fix}")));
        }
    }
}

fn coverage(contract: &Contract, first: &str, workloads: &[Workload<'_>], drifts: &mut Vec<Drift>) {
    let long = |workload: &&Workload<'_>| workload.kind != "Job" && workload.kind != "CronJob";
    if contract.process_types.is_empty() {
        if !workloads.iter().any(|workload| long(&workload)) {
            drifts.push(Drift::new(first, "no Deployment runs the service; add one"));
        }
        return;
    }
    for kind in &contract.process_types {
        let runs = workloads.iter().filter(|workload| {
            workload.process.is_some_and(|process| process.name == kind.name)
                && long(workload) != kind.one_off
        });
        if runs.count() == 0 {
            let object = if kind.one_off { "Job" } else { "Deployment" };
            drifts.push(Drift::new(
                first,
                format!(
                    "no {object} runs process type `{}`; add one whose container has `args: [{}]`",
                    kind.name, kind.name
                ),
            ));
        }
    }
    for workload in workloads.iter().filter(|workload| workload.process.is_none()) {
        drifts.push(Drift::new(
            workload.file,
            format!(
                "{} {} runs no process type; give its container `args: [TYPE]`",
                workload.kind, workload.name
            ),
        ));
    }
}

fn service_ports(
    contract: &Contract,
    first: &str,
    effective: &Effective,
    services: &[(&str, Yaml)],
    drifts: &mut Vec<Drift>,
) {
    if contract.serving_type().is_none() && !contract.process_types.is_empty() {
        return;
    }
    for listener in &contract.listeners {
        let port = effective.port(&listener.name);
        let found = services.iter().find_map(|(file, service)| {
            service["spec"]["ports"].as_vec().and_then(|ports| {
                ports
                    .iter()
                    .find(|entry| entry["name"].as_str() == Some(listener.name.as_str()))
                    .map(|entry| (*file, entry))
            })
        });
        let file = services.first().map_or(first, |(file, _)| file);
        match found {
            None => drifts.push(Drift::new(
                file,
                format!(
                    "no Service port named `{}`; add `- name: {}` with `targetPort: {}`",
                    listener.name, listener.name, listener.name
                ),
            )),
            Some((file, entry)) => {
                let target = &entry["targetPort"];
                let target = if target.is_badvalue() { &entry["port"] } else { target };
                let right = match target {
                    Yaml::Integer(number) => *number == i64::from(port),
                    Yaml::String(name) => *name == listener.name,
                    _ => false,
                };
                if !right {
                    drifts.push(Drift::new(
                        file,
                        format!(
                            "Service port `{}` does not reach the listener; set `targetPort: {}` (or {port})",
                            listener.name, listener.name
                        ),
                    ));
                }
            }
        }
    }
}
