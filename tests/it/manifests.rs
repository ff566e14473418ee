//! `TWELVE_FACTOR_MANIFEST`: the binary writes its Kubernetes, systemd and Procfile manifests
//! (validated by `kubernetes-validate`, `systemd-analyze verify` and `honcho check`) and checks
//! existing ones, failing on each drift, one at a time.

use crate::support::process::{clean_command, example};
use crate::support::temp::TempDir;
use crate::support::tool::require;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use twelve_factor::deploy::{
    check_files, emit, split_files, Contract, Flags, Kind, Listener, RuntimeValues,
};
use twelve_factor::{ProcessType, Variable};

/// The example binary `name` with `TWELVE_FACTOR_MANIFEST=request`, `env` and `args`.
fn manifest(name: &str, request: &str, env: &[(&str, &str)], args: &[&Path]) -> Output {
    let mut command = clean_command(example(name));
    command.env("TWELVE_FACTOR_MANIFEST", request).args(args);
    for variable in [
        "TWELVE_FACTOR_IMAGE",
        "TWELVE_FACTOR_REPLICAS",
        "TWELVE_FACTOR_EXEC",
        "TWELVE_FACTOR_SECRET",
    ] {
        command.env_remove(variable);
    }
    command.envs(env.iter().copied());
    command.output().expect("run the example")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Writes each `# file: NAME` of `stream` into `dir`; returns the paths.
fn write_files(dir: &Path, stream: &str) -> Vec<PathBuf> {
    let files = split_files(stream);
    assert!(!files.is_empty(), "no files in {stream:?}");
    files
        .into_iter()
        .map(|(name, text)| {
            let path = dir.join(name);
            std::fs::write(&path, text).expect("write a manifest");
            path
        })
        .collect()
}

/// Every kind for example `name` into `dir`, systemd's `ExecStart=` on the built binary.
fn emit_all(name: &str, dir: &Path) -> Vec<PathBuf> {
    let binary = example(name);
    let exec = binary.to_str().expect("a UTF-8 path");
    let mut paths = Vec::new();
    for kind in ["kubernetes", "systemd", "procfile"] {
        let output = manifest(name, kind, &[("TWELVE_FACTOR_EXEC", exec)], &[]);
        assert!(output.status.success(), "{kind}: {output:?}");
        paths.extend(write_files(dir, &stdout(&output)));
    }
    paths
}

/// The check of `dir` by example `config`: its exit code and drift lines.
fn check_dir(dir: &Path) -> (Option<i32>, String) {
    let output = manifest("config", "check", &[], &[dir]);
    (output.status.code(), stdout(&output))
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).expect("read a manifest");
    assert!(text.contains(from), "{} lacks {from:?}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).expect("write a manifest");
}

#[test]
fn emits_every_kind_even_with_a_bad_environment() {
    for kind in ["kubernetes", "systemd", "procfile"] {
        let output = manifest(
            "config",
            kind,
            &[("PORT", "abc"), ("SHUTDOWN_TIMEOUT", "soon")],
            &[],
        );
        assert_eq!(output.status.code(), Some(0), "{kind}: {output:?}");
        assert!(stdout(&output).starts_with("# file: "), "{kind}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("PORT=\"abc\" is not a port; the manifests use 8080"),
            "{stderr}"
        );
        assert!(stderr.contains("SHUTDOWN_TIMEOUT=\"soon\""), "{stderr}");
    }
    let systemd = stdout(&manifest("config", "systemd", &[("PORT", "abc")], &[]));
    assert!(systemd.contains("ListenStream=8080\n"), "{systemd}");
}

#[test]
fn values_come_from_the_environment_and_the_flags() {
    let env = [
        ("PORT", "3000"),
        ("SHUTDOWN_TIMEOUT", "40s"),
        ("TWELVE_FACTOR_IMAGE", "registry.example/shop:1.4"),
        ("TWELVE_FACTOR_REPLICAS", "3"),
    ];
    let yaml = stdout(&manifest("config", "kubernetes", &env, &[]));
    assert!(
        yaml.contains("image: \"registry.example/shop:1.4\""),
        "{yaml}"
    );
    assert!(yaml.contains("replicas: 3\n"), "{yaml}");
    assert!(yaml.contains("containerPort: 3000\n"), "{yaml}");
    assert!(
        yaml.contains("terminationGracePeriodSeconds: 45\n"),
        "{yaml}"
    );
    // The configuration: a required variable to fill, a secret from the Secret, a default.
    assert!(yaml.contains("- name: \"SHOP_DATABASE_URL\"\n              value: \"<fill in>\""));
    assert!(yaml.contains("key: \"SHOP_API_TOKEN\"\n                  optional: false"));
    assert!(yaml.contains("- name: \"SHOP_WORKERS\"\n              value: \"4\""));
}

#[test]
fn an_unknown_kind_is_a_usage_error() {
    let output = manifest("config", "helm", &[], &[]);
    assert_eq!(output.status.code(), Some(64));
    assert!(String::from_utf8_lossy(&output.stderr)
        .contains("expected kubernetes, systemd, procfile or check"));
}

#[test]
fn a_bare_binary_is_one_deployment_and_one_unit() {
    let yaml = stdout(&manifest("minimal", "kubernetes", &[], &[]));
    assert_eq!(yaml.matches("kind: Deployment").count(), 1, "{yaml}");
    assert_eq!(yaml.matches("kind: Job").count(), 0);
    let units = stdout(&manifest("minimal", "systemd", &[], &[]));
    let files: Vec<String> = split_files(&units)
        .into_iter()
        .map(|(name, _)| name)
        .collect();
    assert_eq!(files, ["minimal.service", "minimal-http.socket"]);
    assert_eq!(
        stdout(&manifest("minimal", "procfile", &[], &[])),
        "# file: Procfile\nweb: minimal\n"
    );
}

#[test]
fn the_check_passes_on_emitted_manifests_and_names_each_drift() {
    let dir = TempDir::new("manifests-check");
    emit_all("config", &dir.0);
    assert_eq!(check_dir(&dir.0), (Some(0), String::new()));
    let deployment = dir.0.join("config.deployment.yaml");
    let unit = dir.0.join("config.service");
    // (file, from, to, the drift's line)
    let drifts: [(&Path, &str, &str, &str); 9] = [
        (&deployment, "            - name: \"SHOP_DATABASE_URL\"\n              value: \"<fill in>\"\n", "",
            "config.deployment.yaml: Deployment config: required variable SHOP_DATABASE_URL is not set"),
        (&deployment, "valueFrom:\n                secretKeyRef:\n                  name: \"config\"\n                  key: \"SHOP_API_TOKEN\"\n                  optional: false\n",
            "value: \"hunter2\"\n", "config.deployment.yaml: Deployment config: secret SHOP_API_TOKEN is set as a plain value"),
        (&deployment, "terminationGracePeriodSeconds: 14", "terminationGracePeriodSeconds: 5",
            "config.deployment.yaml: Deployment config: terminationGracePeriodSeconds 5 is shorter than SHUTDOWN_DELAY + SHUTDOWN_TIMEOUT (9s)"),
        (&deployment, "path: /livez", "path: /healthz", "config.deployment.yaml: Deployment config: livenessProbe is on path /healthz"),
        (&deployment, "port: health", "port: http", "config.deployment.yaml: Deployment config: livenessProbe is on port 8080; set `livenessProbe.httpGet` to path /livez, port 9000"),
        (&dir.0.join("config.service.yaml"), "- name: \"http\"", "- name: \"web\"", "config.service.yaml: no Service port named `http`"),
        (&unit, "RestartPreventExitStatus=78 64", "RestartPreventExitStatus=64", "config.service: RestartPreventExitStatus lacks 78"),
        (&unit, "TimeoutStopSec=14s", "TimeoutStopSec=5s", "config.service: TimeoutStopSec (5s) is shorter than SHUTDOWN_DELAY + SHUTDOWN_TIMEOUT (9s)"),
        (&dir.0.join("Procfile"), "web: ", "worker: ", "Procfile: no `web:` line"),
    ];
    for (path, from, to, expected) in drifts {
        let original = std::fs::read_to_string(path).expect("read a manifest");
        edit(path, from, to);
        let (code, lines) = check_dir(&dir.0);
        assert_eq!(code, Some(1), "{expected}: {lines}");
        // One drift at a time: every line is that drift, naming the file.
        assert!(!lines.is_empty());
        for line in lines.lines() {
            assert!(line.contains(expected), "{expected:?} not in {lines}");
        }
        std::fs::write(path, original).expect("restore a manifest");
    }
    assert_eq!(check_dir(&dir.0), (Some(0), String::new()));
}

#[test]
fn the_check_of_nothing_fails() {
    let dir = TempDir::new("manifests-empty");
    let (code, lines) = check_dir(&dir.0);
    assert_eq!(code, Some(1));
    assert!(lines.contains("no manifests found"), "{lines}");
}

/// A shop with a configuration, two declared listeners and web/worker/release types, as a
/// contract (the declared listeners and process types are fed through the same function).
fn shop() -> Contract {
    const CONFIG: [Variable; 3] = [
        Variable {
            name: "SHOP_DATABASE_URL",
            field: "database_url",
            doc: "Postgres URL.",
            default: None,
            required: true,
            secret: false,
        },
        Variable {
            name: "SHOP_API_TOKEN",
            field: "api_token",
            doc: "Payment token.",
            default: None,
            required: true,
            secret: true,
        },
        Variable {
            name: "SHOP_WORKERS",
            field: "workers",
            doc: "Workers.",
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
            doc: "Migrates, then exits.",
            one_off: true,
            default: false,
        },
    ];
    let values = RuntimeValues {
        port: 8080,
        health_port: 9000,
        shutdown_delay: std::time::Duration::from_secs(5),
        shutdown_timeout: std::time::Duration::from_secs(20),
        log_format: Some("json"),
    };
    Contract::new(
        "shop",
        &values,
        twelve_factor::__private::BUILTIN_VARIABLES,
        &CONFIG,
        &[
            Listener::new("admin", "ADMIN_PORT", 9091),
            Listener::new("metrics", "METRICS_PORT", 9100),
        ],
        &TYPES,
    )
}

/// The shop's files of `kind` in a fresh directory, systemd's `ExecStart=` on a real binary.
fn shop_files(kind: Kind, dir: &Path) -> Vec<PathBuf> {
    let flags = Flags {
        exec: Some(example("minimal").to_str().expect("UTF-8").to_owned()),
        ..Flags::default()
    };
    let contract = shop();
    let stream = emit(kind, &contract, &flags);
    let files = split_files(&stream);
    assert_eq!(check_files(&contract, &files), [], "{kind:?}");
    write_files(dir, &stream)
}

fn run_tool(command: &mut Command) {
    let output = command.output().expect("run the tool");
    assert!(
        output.status.success(),
        "{command:?}: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
#[ignore = "needs kubernetes-validate"]
fn kubernetes_validate_accepts_the_manifests() {
    require("kubernetes-validate");
    for (what, dir, paths) in [
        ("config", TempDir::new("k8s-config"), None),
        ("shop", TempDir::new("k8s-shop"), Some(())),
    ] {
        let paths = match paths {
            None => write_files(&dir.0, &stdout(&manifest("config", "kubernetes", &[], &[]))),
            Some(()) => shop_files(Kind::Kubernetes, &dir.0),
        };
        assert!(!paths.is_empty(), "{what}");
        run_tool(
            Command::new("kubernetes-validate")
                .arg("--strict")
                .args(&paths),
        );
    }
}

#[test]
#[ignore = "needs systemd-analyze"]
fn systemd_analyze_verifies_the_units() {
    require("systemd-analyze");
    let config = TempDir::new("systemd-config");
    let paths: Vec<PathBuf> = emit_all("config", &config.0)
        .into_iter()
        .filter(|path| {
            path.extension()
                .is_some_and(|ext| ext == "service" || ext == "socket")
        })
        .collect();
    run_tool(
        Command::new("systemd-analyze")
            .args(["verify", "--man=no"])
            .args(&paths),
    );
    let shop = TempDir::new("systemd-shop");
    let mut paths = shop_files(Kind::Systemd, &shop.0);
    // A template is verified through an instance of it, as systemd would start it.
    let template = shop.0.join("shop@.service");
    assert!(paths.contains(&template));
    let instance = shop.0.join("shop@web.service");
    std::os::unix::fs::symlink(&template, &instance).expect("link an instance");
    paths.retain(|path| path != &template);
    paths.push(instance);
    run_tool(
        Command::new("systemd-analyze")
            .args(["verify", "--man=no"])
            .args(&paths),
    );
}

#[test]
#[ignore = "needs honcho"]
fn honcho_checks_the_procfile() {
    require("honcho");
    for (name, stream) in [
        (
            "procfile-config",
            stdout(&manifest("config", "procfile", &[], &[])),
        ),
        (
            "procfile-shop",
            emit(Kind::Procfile, &shop(), &Flags::default()),
        ),
    ] {
        let dir = TempDir::new(name);
        write_files(&dir.0, &stream);
        run_tool(Command::new("honcho").arg("check").current_dir(&dir.0));
    }
    let dir = TempDir::new("procfile-shop-lines");
    write_files(&dir.0, &emit(Kind::Procfile, &shop(), &Flags::default()));
    let text = std::fs::read_to_string(dir.0.join("Procfile")).expect("the Procfile");
    assert_eq!(
        text,
        "web: shop web\nworker: shop worker\nrelease: shop release\n"
    );
}

/// The binary feeds its own declared listeners and process types into the manifests: the
/// `formation` example (`listeners(grpc = 50051)`) gets a `grpc` Service port and socket unit,
/// the `process_types` example a Deployment per long-running type and a Job per one-off; the
/// check of what each emitted passes.
#[test]
fn declared_listeners_and_process_types_reach_the_manifests() {
    let dir = TempDir::new("manifests-formation");
    emit_all("formation", &dir.0);
    let service = std::fs::read_to_string(dir.0.join("formation.service.yaml"))
        .expect("a Service for the formation example");
    assert!(service.contains("name: \"grpc\""), "{service}");
    assert!(service.contains("50051"), "{service}");
    let units: Vec<String> = std::fs::read_dir(&dir.0)
        .expect("read the manifests")
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".socket"))
        .collect();
    let grpc_socket = units
        .iter()
        .map(|name| std::fs::read_to_string(dir.0.join(name)).expect("read a socket unit"))
        .find(|text| text.contains("FileDescriptorName=grpc"));
    assert!(
        grpc_socket.is_some_and(|text| text.contains("ListenStream=50051")),
        "{units:?}"
    );
    let check = manifest("formation", "check", &[], &[&dir.0]);
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));

    let dir = TempDir::new("manifests-process-types");
    emit_all("process_types", &dir.0);
    let kubernetes = std::fs::read_dir(&dir.0)
        .expect("read the manifests")
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.file_name().to_string_lossy().ends_with(".yaml"))
        .map(|entry| std::fs::read_to_string(entry.path()).expect("read a manifest"))
        .collect::<Vec<_>>()
        .join("\n---\n");
    assert_eq!(
        kubernetes.matches("kind: Deployment").count(),
        2,
        "{kubernetes}"
    );
    assert_eq!(kubernetes.matches("kind: Job").count(), 2, "{kubernetes}");
    let procfile = std::fs::read_to_string(dir.0.join("Procfile")).expect("a Procfile");
    assert!(procfile.contains("release:"), "{procfile}");
    assert!(procfile.contains("worker:"), "{procfile}");
    let check = manifest("process_types", "check", &[], &[&dir.0]);
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
}
