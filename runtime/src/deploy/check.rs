//! [`check`]: existing manifests (files or folders) against the contract, one [`Drift`] per
//! departure.

use crate::deploy::contract::Contract;
use crate::deploy::drift::Drift;
use crate::deploy::procfile;
use std::path::Path;

/// Reads the manifests at `paths` (files, or folders read recursively) and reports every
/// drift: Kubernetes YAML (`.yaml`, `.yml`), systemd units (`.service`, `.socket`) and
/// Procfiles (files named `Procfile*`). A path that cannot be read, or no manifest at all,
/// is a drift too.
pub fn check(contract: &Contract, paths: &[impl AsRef<Path>]) -> Vec<Drift> {
    let mut files = Vec::new();
    let mut drifts = Vec::new();
    for path in paths {
        collect(path.as_ref(), &mut files, &mut drifts, 0);
    }
    if files.is_empty() && drifts.is_empty() {
        let shown: Vec<String> = paths
            .iter()
            .map(|path| path.as_ref().display().to_string())
            .collect();
        drifts.push(Drift::new(
            &shown.join(" "),
            "no manifests found (.yaml, .yml, .service, .socket, Procfile)",
        ));
    }
    drifts.extend(check_files(contract, &files));
    drifts
}

/// The drifts of manifests given as (name, text), classified by name as [`check`] does.
pub fn check_files(contract: &Contract, files: &[(String, String)]) -> Vec<Drift> {
    let mut yaml = Vec::new();
    let mut units = Vec::new();
    let mut drifts = Vec::new();
    for (name, text) in files {
        match classify(name) {
            Some(Class::Yaml) => yaml.push((name.clone(), text.clone())),
            Some(Class::Unit) => units.push((name.clone(), text.clone())),
            Some(Class::Procfile) => drifts.extend(check_procfile(contract, name, text)),
            None => {}
        }
    }
    if !yaml.is_empty() {
        drifts.extend(kubernetes(contract, &yaml));
    }
    if !units.is_empty() {
        drifts.extend(crate::deploy::check_systemd::check(contract, &units));
    }
    drifts
}

#[cfg(feature = "manifest")]
fn kubernetes(contract: &Contract, yaml: &[(String, String)]) -> Vec<Drift> {
    crate::deploy::check_kubernetes::check(contract, yaml)
}

#[cfg(not(feature = "manifest"))]
fn kubernetes(_contract: &Contract, yaml: &[(String, String)]) -> Vec<Drift> {
    vec![Drift::new(
        &yaml[0].0,
        "cannot check Kubernetes manifests: the `manifest` feature of twelvefactor is off",
    )]
}

enum Class {
    Yaml,
    Unit,
    Procfile,
}

fn classify(name: &str) -> Option<Class> {
    let base = name.rsplit('/').next().unwrap_or(name);
    if base.ends_with(".yaml") || base.ends_with(".yml") {
        Some(Class::Yaml)
    } else if base.ends_with(".service") || base.ends_with(".socket") {
        Some(Class::Unit)
    } else if base.starts_with("Procfile") {
        Some(Class::Procfile)
    } else {
        None
    }
}

/// Reads `path` into `files`; folders recursively (a few levels), in name order.
fn collect(path: &Path, files: &mut Vec<(String, String)>, drifts: &mut Vec<Drift>, depth: u8) {
    let shown = path.display().to_string();
    if path.is_dir() {
        if depth > 4 {
            return;
        }
        let mut entries: Vec<_> = match std::fs::read_dir(path) {
            Ok(entries) => entries.filter_map(Result::ok).map(|entry| entry.path()).collect(),
            Err(error) => {
                drifts.push(Drift::new(&shown, format!("cannot read the folder: {error}")));
                return;
            }
        };
        entries.sort();
        for entry in entries {
            let name = entry.display().to_string();
            if entry.is_dir() || classify(&name).is_some() {
                collect(&entry, files, drifts, depth + 1);
            }
        }
        return;
    }
    match std::fs::read_to_string(path) {
        Ok(text) => files.push((shown, text)),
        Err(error) => drifts.push(Drift::new(&shown, format!("cannot read the file: {error}"))),
    }
}

/// A Procfile: a line per long-running type (`web` without types) and `release:` for the
/// release type.
fn check_procfile(contract: &Contract, file: &str, text: &str) -> Vec<Drift> {
    let lines = procfile::parse(text);
    let mut drifts = Vec::new();
    let runs = |name: &str| {
        lines.iter().any(|line| {
            line.name == name || line.command.split_whitespace().any(|word| word == name)
        })
    };
    if contract.process_types.is_empty() {
        if !lines.iter().any(|line| line.name == "web") {
            drifts.push(Drift::new(file, format!("no `web:` line; add `web: {}`", contract.name)));
        }
        return drifts;
    }
    for kind in contract.process_types.iter().filter(|kind| !kind.one_off) {
        if !runs(kind.name) {
            drifts.push(Drift::new(
                file,
                format!(
                    "no line runs process type `{}`; add `{}: {} {}`",
                    kind.name, kind.name, contract.name, kind.name
                ),
            ));
        }
    }
    if let Some(release) = contract.release_type() {
        let line = lines.iter().find(|line| line.name == "release");
        let right = line.is_some_and(|line| {
            line.command
                .split_whitespace()
                .any(|word| word == release.name)
        });
        if !right {
            drifts.push(Drift::new(
                file,
                format!(
                    "no `release:` line runs the one-off type `{}`; add `release: {} {}`",
                    release.name, contract.name, release.name
                ),
            ));
        }
    }
    drifts
}

#[cfg(test)]
#[path = "check_tests.rs"]
mod tests;
