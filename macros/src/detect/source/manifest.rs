//! The manifest check: a daemonizing crate among the package's normal `[dependencies]` is a
//! compile error, whether the code uses it yet or not. `package =` renames are honoured; an
//! optional dependency is an error only under the features that enable it, and a
//! `[target.'cfg(…)'.dependencies]` entry only on those targets: both become `#[cfg]` on the
//! emitted error. Dev- and build-dependencies are fine (they never reach the service binary).
//!
//! The manifest also supplies the extern-prelude renames that [resolution](crate::detect::names::resolve)
//! needs (`bg = { package = "daemonize" }` makes `bg::Daemonize` a `daemonize` path).

use crate::detect::rules::catalogue::{self, Entry};
use crate::detect::source::toml::{self, Value};
use std::collections::HashMap;

/// A banned crate among the normal dependencies.
#[derive(Debug)]
pub(crate) struct BannedDependency {
    /// The dependency's key (its name in the code).
    pub key: String,
    /// The package name on crates.io.
    pub package: String,
    pub line: usize,
    pub entry: &'static Entry,
    /// `cfg` predicates under which the dependency is compiled in (target, features).
    pub cfg: Vec<String>,
}

/// A normal dependency whose package name says it daemonizes, but that the catalogue does not
/// know (a warning).
#[derive(Debug)]
pub(crate) struct SuspectDependency {
    pub package: String,
    pub line: usize,
}

/// A `path =` dependency: the user's own code, scanned like the binary.
#[derive(Debug, Clone)]
pub(crate) struct PathDependency {
    /// Its name in the code (the key, `-` turned into `_`).
    pub name: String,
    pub path: String,
    /// The path is relative to the workspace root (inherited with `workspace = true`), not to
    /// the package.
    pub from_workspace: bool,
}

/// What the detector reads from `Cargo.toml`.
#[derive(Debug, Default)]
pub(crate) struct Manifest {
    /// Extern-prelude names that differ from the crate's library name.
    pub renames: HashMap<String, String>,
    pub banned: Vec<BannedDependency>,
    pub suspects: Vec<SuspectDependency>,
    pub path_deps: Vec<PathDependency>,
    /// The package's library target: its name in the code and its root file, relative to the
    /// package (`src/lib.rs` unless `[lib] path` says otherwise).
    pub lib: (String, String),
}

/// One dependency entry, fields merged from inline tables, dotted keys and sub-tables.
#[derive(Default)]
struct Dependency {
    line: usize,
    package: Option<String>,
    optional: bool,
    path: Option<String>,
    workspace: bool,
}

/// A dependency's identity: its table, its target (for `[target.….dependencies]`) and its key.
type DependencyId = (Section, Option<String>, String);

/// Which table a dependency stands in.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Section {
    Normal,
    Dev,
    Build,
}

/// Reads the manifest text; `workspace` is the workspace root's manifest text, for dependencies
/// inherited with `workspace = true`.
pub(crate) fn parse(text: &str, workspace: Option<&str>) -> Manifest {
    let entries = toml::parse(text);
    let mut deps: Vec<(DependencyId, Dependency)> = Vec::new();
    let mut features: Vec<(String, Vec<String>)> = Vec::new();
    let mut package_name = String::new();
    let mut lib_name = None;
    let mut lib_path = None;
    for entry in &entries {
        let key: Vec<&str> = entry.key.iter().map(String::as_str).collect();
        match (key.as_slice(), &entry.value) {
            (["package", "name"], Value::Str(name)) => package_name = name.clone(),
            (["lib", "name"], Value::Str(name)) => lib_name = Some(name.clone()),
            (["lib", "path"], Value::Str(path)) => lib_path = Some(path.clone()),
            _ => {}
        }
        let (section, target, rest) = match key.as_slice() {
            ["features", name] => {
                if let Value::Array(items) = &entry.value {
                    let items = items
                        .iter()
                        .filter_map(|v| match v {
                            Value::Str(s) => Some(s.clone()),
                            _ => None,
                        })
                        .collect();
                    features.push(((*name).to_owned(), items));
                }
                continue;
            }
            [table, rest @ ..] => match section(table) {
                Some(section) => (section, None, rest),
                None => match key.as_slice() {
                    ["target", target, table, rest @ ..] => match section(table) {
                        Some(section) => (section, Some((*target).to_owned()), rest),
                        None => continue,
                    },
                    _ => continue,
                },
            },
            _ => continue,
        };
        let Some((name, field)) = rest.split_first() else {
            continue;
        };
        let id = (section, target, (*name).to_owned());
        merge(&mut deps, id, entry.line, field, &entry.value);
    }

    let inherited = workspace.map(workspace_dependencies).unwrap_or_default();
    let mut manifest = Manifest {
        lib: (
            lib_name.unwrap_or_else(|| package_name.replace('-', "_")),
            lib_path.unwrap_or_else(|| "src/lib.rs".to_owned()),
        ),
        ..Manifest::default()
    };
    for ((section, target, key), mut dep) in deps {
        let mut from_workspace = false;
        if dep.workspace {
            if let Some(base) = inherited.iter().find(|(k, _)| *k == key).map(|(_, d)| d) {
                dep.package = dep.package.or_else(|| base.package.clone());
                from_workspace = dep.path.is_none() && base.path.is_some();
                dep.path = dep.path.or_else(|| base.path.clone());
            }
        }
        let package = dep.package.clone().unwrap_or_else(|| key.clone());
        let lib = catalogue::library_name(&package);
        if section == Section::Normal {
            if let Some(path) = &dep.path {
                manifest.path_deps.push(PathDependency {
                    name: key.replace('-', "_"),
                    path: path.clone(),
                    from_workspace,
                });
            }
        }
        if section != Section::Build && lib != key.replace('-', "_") {
            manifest.renames.insert(key.replace('-', "_"), lib.clone());
        }
        if section != Section::Normal {
            continue;
        }
        let Some(entry) = catalogue::banned_crate(&lib) else {
            let lower = package.to_ascii_lowercase();
            if dep.path.is_none()
                && catalogue::DAEMONIZING_NAME_WORDS
                    .iter()
                    .any(|word| lower.contains(word))
            {
                manifest.suspects.push(SuspectDependency {
                    package,
                    line: dep.line,
                });
            }
            continue;
        };
        let mut cfg = Vec::new();
        if let Some(target) = &target {
            match target_cfg(target) {
                Some(predicate) => cfg.push(predicate),
                None => continue, // a target that cannot be expressed: no claim
            }
        }
        if dep.optional {
            let enabling = enabling_features(&key, &features);
            if enabling.is_empty() {
                continue; // nothing can turn it on
            }
            let any: Vec<String> = enabling
                .iter()
                .map(|f| format!("feature = {f:?}"))
                .collect();
            cfg.push(format!("any({})", any.join(", ")));
        }
        manifest.banned.push(BannedDependency {
            key,
            package,
            line: dep.line,
            entry,
            cfg,
        });
    }
    manifest
}

/// The `[workspace.dependencies]` of a workspace root manifest, by key.
fn workspace_dependencies(text: &str) -> Vec<(String, Dependency)> {
    let mut out: Vec<(String, Dependency)> = Vec::new();
    for entry in toml::parse(text) {
        let key: Vec<&str> = entry.key.iter().map(String::as_str).collect();
        let ["workspace", "dependencies", name, field @ ..] = key.as_slice() else {
            continue;
        };
        merge(
            &mut out,
            (*name).to_owned(),
            entry.line,
            field,
            &entry.value,
        );
    }
    out
}

/// Merges one `key = value` into the dependency `id` of `deps` (created at `line` when new):
/// a whole inline table, or one field of a dotted key or sub-table.
fn merge<K: PartialEq>(
    deps: &mut Vec<(K, Dependency)>,
    id: K,
    line: usize,
    field: &[&str],
    value: &Value,
) {
    let index = match deps.iter().position(|(k, _)| *k == id) {
        Some(index) => index,
        None => {
            let dep = Dependency {
                line,
                ..Dependency::default()
            };
            deps.push((id, dep));
            deps.len() - 1
        }
    };
    let Some((_, dep)) = deps.get_mut(index) else {
        return;
    };
    match (field, value) {
        ([], Value::Table(fields)) => {
            for (field, value) in fields {
                apply(dep, field, value);
            }
        }
        ([field], value) => apply(dep, field, value),
        _ => {}
    }
}

/// Whether a manifest text declares a workspace (`[workspace]`).
pub(crate) fn is_workspace_root(text: &str) -> bool {
    toml::parse(text)
        .iter()
        .any(|entry| entry.key.first().is_some_and(|k| k == "workspace"))
        || text.lines().any(|line| line.trim() == "[workspace]")
}

fn section(table: &str) -> Option<Section> {
    match table {
        "dependencies" => Some(Section::Normal),
        "dev-dependencies" | "dev_dependencies" => Some(Section::Dev),
        "build-dependencies" | "build_dependencies" => Some(Section::Build),
        _ => None,
    }
}

fn apply(dep: &mut Dependency, field: &str, value: &Value) {
    match (field, value) {
        ("package", Value::Str(package)) => dep.package = Some(package.clone()),
        ("optional", Value::Bool(optional)) => dep.optional = *optional,
        ("path", Value::Str(path)) => dep.path = Some(path.clone()),
        ("workspace", Value::Bool(inherit)) => dep.workspace = *inherit,
        _ => {}
    }
}

/// The features that turn the optional dependency `key` on: its implicit feature (unless some
/// feature says `dep:key`), and every feature listing `dep:key`, `key` or `key/feature`.
fn enabling_features(key: &str, features: &[(String, Vec<String>)]) -> Vec<String> {
    let explicit = features
        .iter()
        .any(|(_, items)| items.iter().any(|i| i == &format!("dep:{key}")));
    let mut out = Vec::new();
    if !explicit {
        out.push(key.to_owned());
    }
    for (name, items) in features {
        let enables = items.iter().any(|item| {
            item == &format!("dep:{key}")
                || (!explicit && item == key)
                || item
                    .strip_prefix(key)
                    .is_some_and(|rest| rest.starts_with('/'))
        });
        if enables && !out.contains(name) {
            out.push(name.clone());
        }
    }
    out
}

/// `cfg(unix)` → `unix`; a target triple → its `target_arch`/`target_os`; `None` when unknown.
fn target_cfg(target: &str) -> Option<String> {
    if let Some(inner) = target
        .strip_prefix("cfg(")
        .and_then(|t| t.strip_suffix(')'))
    {
        return Some(inner.to_owned());
    }
    let parts: Vec<&str> = target.split('-').collect();
    let arch = match parts.first().copied().unwrap_or("") {
        "x86_64" => Some("x86_64"),
        a if a.starts_with('i') && a.ends_with("86") => Some("x86"),
        a if a.starts_with("aarch64") || a.starts_with("arm64") => Some("aarch64"),
        a if a.starts_with("arm") || a.starts_with("thumb") => Some("arm"),
        a if a.starts_with("riscv64") => Some("riscv64"),
        a if a.starts_with("wasm32") => Some("wasm32"),
        "s390x" => Some("s390x"),
        "powerpc64" | "powerpc64le" => Some("powerpc64"),
        _ => None,
    };
    let os = parts.iter().skip(1).find_map(|part| match *part {
        "linux" => Some("linux"),
        "windows" => Some("windows"),
        "darwin" => Some("macos"),
        "freebsd" | "netbsd" | "openbsd" | "android" | "ios" | "illumos" | "wasi" => Some(*part),
        _ => None,
    });
    match (arch, os) {
        (Some(arch), Some(os)) => Some(format!("all(target_arch = {arch:?}, target_os = {os:?})")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_dependencies_only() {
        let manifest = parse(
            r#"
[dependencies]
daemonize = "0.5"
[dev-dependencies]
fork = "0.2"
[build-dependencies]
pidlock = "0.2"
"#,
            None,
        );
        let banned: Vec<&str> = manifest.banned.iter().map(|b| b.key.as_str()).collect();
        assert_eq!(banned, ["daemonize"]);
        assert_eq!(manifest.banned[0].line, 3);
        assert!(manifest.banned[0].cfg.is_empty());
    }

    #[test]
    fn renames_optional_and_targets() {
        let manifest = parse(
            r#"
[dependencies]
bg = { package = "daemonize", optional = true }
quiet = { package = "daemonize-me", optional = true }
sys = { package = "libc", version = "0.2" }

[target.'cfg(unix)'.dependencies.detach]
package = "fork"
version = "0.2"

[target.x86_64-unknown-linux-gnu.dependencies]
pidfile-rs = "0.3"

[features]
background = ["dep:bg"]
"#,
            None,
        );
        assert_eq!(
            manifest.renames.get("bg").map(String::as_str),
            Some("daemonize")
        );
        assert_eq!(
            manifest.renames.get("sys").map(String::as_str),
            Some("libc")
        );
        let banned: Vec<(String, Vec<String>)> = manifest
            .banned
            .iter()
            .map(|b| (b.key.clone(), b.cfg.clone()))
            .collect();
        assert_eq!(
            banned,
            [
                (
                    "bg".to_owned(),
                    vec!["any(feature = \"background\")".to_owned()]
                ),
                (
                    "quiet".to_owned(),
                    vec!["any(feature = \"quiet\")".to_owned()]
                ),
                ("detach".to_owned(), vec!["unix".to_owned()]),
                (
                    "pidfile-rs".to_owned(),
                    vec!["all(target_arch = \"x86_64\", target_os = \"linux\")".to_owned()]
                ),
            ]
        );
    }

    #[test]
    fn path_dependencies_workspace_inheritance_and_suspects() {
        let workspace = r#"
[workspace]
members = ["app", "helper"]
[workspace.dependencies]
bg = { package = "daemonize", version = "0.5" }
helper = { path = "helper" }
"#;
        let manifest = parse(
            r#"
[package]
name = "my-svc"
[lib]
path = "src/svc.rs"
[dependencies]
bg = { workspace = true }
helper = { workspace = true }
local = { path = "../local" }
daemonize-ng = "1"
"#,
            Some(workspace),
        );
        assert_eq!(manifest.lib, ("my_svc".to_owned(), "src/svc.rs".to_owned()));
        let banned: Vec<&str> = manifest.banned.iter().map(|b| b.key.as_str()).collect();
        assert_eq!(banned, ["bg"]);
        let paths: Vec<(&str, &str, bool)> = manifest
            .path_deps
            .iter()
            .map(|d| (d.name.as_str(), d.path.as_str(), d.from_workspace))
            .collect();
        assert_eq!(
            paths,
            [("helper", "helper", true), ("local", "../local", false)]
        );
        let suspects: Vec<&str> = manifest
            .suspects
            .iter()
            .map(|s| s.package.as_str())
            .collect();
        assert_eq!(suspects, ["daemonize-ng"]);
        assert!(is_workspace_root(workspace));
        assert!(manifest
            .renames
            .get("bg")
            .is_some_and(|lib| lib == "daemonize"));
    }

    #[test]
    fn optional_without_any_enabling_feature() {
        let manifest = parse("[dependencies]\nfork = { version = \"0.2\", optional = true }\n[features]\nx = [\"dep:fork\"]\n", None);
        assert_eq!(manifest.banned[0].cfg, ["any(feature = \"x\")"]);
        let manifest = parse("[dependencies]\nfork = { version = \"0.2\", optional = true }\n[features]\nx = [\"fork?/std\"]\ny = [\"dep:fork\"]\n", None);
        assert_eq!(manifest.banned[0].cfg, ["any(feature = \"y\")"]);
    }
}
