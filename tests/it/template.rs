//! The cargo-generate starter in `template/`, tested with the real tools: generate a project with
//! cargo-generate, build it against this checkout, run its tests, run the service under `PORT`
//! and SIGTERM, and lint its deploy files with hadolint, kubernetes-validate and
//! systemd-analyze.
//!
//! Ignored by default because it needs tools outside the Rust toolchain; `.ci/install-tools`
//! installs them and `cargo test --test it template:: -- --include-ignored` runs it.
//!
//! Generated projects live in a fresh temporary directory (outside this workspace, so cargo does
//! not mistake them for members) but share one `CARGO_TARGET_DIR` under this repository's
//! `target/`, so only the generated crate itself is rebuilt on a rerun.
use crate::support::http::{free_port, http_get, wait_for_port};
use crate::support::process::{clean_command, send_signal, Service};
use crate::support::temp::TempDir;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const REPO: &str = env!("CARGO_MANIFEST_DIR");

/// Manifests must validate against Kubernetes 1.x with x at least this (1.34 was released in
/// August 2025; the three newest minors are supported upstream).
const OLDEST_CURRENT_KUBERNETES_MINOR: u32 = 34;

/// Where the generated projects are built; shared so reruns are incremental.
fn target_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("template-test")
}

fn cargo() -> Command {
    Command::new(option_env!("CARGO").unwrap_or("cargo"))
}

/// Runs `cmd` to completion and returns its output; panics if it cannot be started.
fn run(cmd: &mut Command) -> Output {
    cmd.output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e} (see .ci/install-tools)"))
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[track_caller]
fn assert_success(cmd: &Command, out: &Output) {
    assert!(
        out.status.success(),
        "{cmd:?} failed with {}\n--- stdout\n{}\n--- stderr\n{}",
        out.status,
        text(&out.stdout),
        text(&out.stderr),
    );
}

/// `cargo generate --path template --name NAME --destination DEST --silent --vcs none --define …`.
fn cargo_generate(name: &str, dest: &Path, defines: &[(&str, &str)]) -> (Command, Output) {
    let mut cmd = cargo();
    cmd.current_dir(REPO)
        .args(["generate", "--path", "template", "--name", name])
        .arg("--destination")
        .arg(dest)
        .args(["--silent", "--vcs", "none"]);
    for (key, value) in defines {
        cmd.arg("--define").arg(format!("{key}={value}"));
    }
    // cargo-generate derives `authors` from git or $USER and needs one of them.
    if std::env::var_os("USER").is_none() {
        cmd.env("USER", "twelvefactor-test");
    }
    let out = run(&mut cmd);
    assert!(
        !text(&out.stderr).contains("no such command"),
        "cargo-generate is not installed (see .ci/install-tools)"
    );
    (cmd, out)
}

/// Generates a project that must succeed, and returns its directory.
fn generate(scratch: &TempDir, name: &str, defines: &[(&str, &str)]) -> PathBuf {
    let (cmd, out) = cargo_generate(name, &scratch.0, defines);
    assert_success(&cmd, &out);
    let project = scratch.0.join(name);
    assert!(
        project.join("Cargo.toml").is_file(),
        "cargo generate succeeded but produced no {}/Cargo.toml",
        project.display()
    );
    project
}

/// Every generated file, by path relative to the project.
fn files(project: &Path) -> BTreeMap<String, String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.insert(rel, fs::read_to_string(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(project, project, &mut out);
    out
}

fn file<'a>(files: &'a BTreeMap<String, String>, path: &str) -> &'a str {
    files
        .get(path)
        .unwrap_or_else(|| panic!("no {path} in {:?}", files.keys()))
}

/// No placeholder or tag survived rendering (GitHub's own `${{ … }}` expressions excepted).
fn assert_fully_rendered(files: &BTreeMap<String, String>) {
    for (path, content) in files {
        assert!(!path.contains("{{"), "unrendered file name {path}");
        assert!(!path.ends_with(".liquid"), "{path} kept its .liquid suffix");
        let stray = content.replace("${{", "");
        for tag in ["{{", "{%", "%}"] {
            assert!(
                !stray.contains(tag),
                "{path} still contains `{tag}`:\n{content}"
            );
        }
    }
}

/// Points the generated project at this checkout instead of crates.io.
fn patch_to_this_checkout(project: &Path) {
    let manifest = project.join("Cargo.toml");
    let mut toml = fs::read_to_string(&manifest).unwrap();
    toml.push_str(&format!(
        "\n# Added by tests/it/template.rs: build against the checkout under test.\n\
         [patch.crates-io]\n\
         twelvefactor = {{ path = '{REPO}' }}\n\
         twelvefactor-macros = {{ path = '{REPO}/macros' }}\n\
         twelvefactor-runtime = {{ path = '{REPO}/runtime' }}\n"
    ));
    fs::write(&manifest, toml).unwrap();
}

/// `cargo <args>` in the generated project, with the shared target directory.
fn cargo_in(project: &Path, args: &[&str]) -> (Command, Output) {
    let mut cmd = cargo();
    cmd.current_dir(project)
        .args(args)
        .env("CARGO_TARGET_DIR", target_dir())
        .env_remove("CARGO_BUILD_TARGET_DIR");
    let out = run(&mut cmd);
    (cmd, out)
}

/// Builds the generated project against this checkout and returns its binary.
fn build(project: &Path, name: &str) -> PathBuf {
    patch_to_this_checkout(project);
    let (cmd, out) = cargo_in(project, &["build"]);
    assert_success(&cmd, &out);
    let stderr = text(&out.stderr);
    assert!(
        !stderr.contains("was not used"),
        "cargo ignored the [patch.crates-io] override:\n{stderr}"
    );
    // And positively: the lock file resolved all three packages to this checkout's paths.
    let lock = fs::read_to_string(project.join("Cargo.lock")).unwrap();
    assert!(
        !lock.contains("[[patch.unused]]"),
        "unused patch in Cargo.lock:\n{lock}"
    );
    for package in [
        "twelvefactor",
        "twelvefactor-macros",
        "twelvefactor-runtime",
    ] {
        let entry = lock
            .split("[[package]]")
            .find(|block| block.contains(&format!("\nname = \"{package}\"\n")))
            .unwrap_or_else(|| panic!("{package} is not in Cargo.lock:\n{lock}"));
        assert!(
            !entry.contains("source ="),
            "{package} came from a registry, not this checkout:\n{entry}"
        );
    }

    let binary = target_dir().join("debug").join(name);
    assert!(binary.is_file(), "no binary at {}", binary.display());
    binary
}

/// Starts `binary` with a clean twelve-factor environment plus `env` and a free `HEALTH_PORT`,
/// waits for `GET /readyz` there to return 200 and `GET /` on `port` to answer, sends SIGTERM
/// with `kill`, sees `/readyz` turn 503, and expects exit 0. Returns its stdout.
fn serve_health_and_drain(binary: &Path, port: u16, env: &[(&str, String)]) -> String {
    let mut health = free_port();
    while health == port {
        health = free_port();
    }
    let mut cmd = clean_command(binary);
    cmd.env("HOST", "127.0.0.1")
        .env("HEALTH_PORT", health.to_string())
        .envs(env.iter().map(|(k, v)| (k, v)));
    let service = Service::spawn(cmd);

    let deadline = Instant::now() + Duration::from_secs(30);
    let body = loop {
        match http_get(health, "/readyz") {
            Ok((200, body)) => break body,
            _ if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(50)),
            other => panic!(
                "/readyz on HEALTH_PORT {health} never answered 200 (last: {other:?}); stdout:\n{}",
                service.stdout()
            ),
        }
    };
    assert_eq!(body, "ready\n", "GET /readyz");
    let index = http_get(port, "/");
    assert!(matches!(index, Ok((200, _))), "GET /: {index:?}");
    let livez = http_get(health, "/livez");
    assert!(matches!(livez, Ok((200, _))), "GET /livez: {livez:?}");

    service.kill("TERM");
    // From the signal on, readiness is 503 (until the exit closes the probe port).
    std::thread::sleep(Duration::from_millis(100));
    if let Ok(readyz) = http_get(health, "/readyz") {
        assert_eq!(
            readyz,
            (503, "not ready: shutting down\n".to_owned()),
            "GET /readyz after SIGTERM"
        );
    }
    let exit = service.wait(Duration::from_secs(30));
    assert_eq!(exit.code(), Some(0), "exit after SIGTERM: {exit:?}");
    exit.stdout
}

/// The log line `main` writes after the drain, which shows the configured log format.
fn drained_line(logs: &str) -> &str {
    logs.lines()
        .find(|line| line.contains("all connections drained"))
        .unwrap_or_else(|| panic!("no `all connections drained` log line in:\n{logs}"))
}

/// Parses a YAML file (possibly several documents) into JSON, with the PyYAML that
/// kubernetes-validate itself uses.
fn yaml_documents(path: &Path) -> Vec<serde_json::Value> {
    let mut cmd = Command::new("python3");
    cmd.args([
        "-c",
        "import json, sys, yaml; print(json.dumps(list(yaml.safe_load_all(open(sys.argv[1])))))",
    ])
    .arg(path);
    let out = run(&mut cmd);
    assert_success(&cmd, &out);
    serde_json::from_slice(&out.stdout).unwrap()
}

/// `9s`, `500ms`, `2m` or bare seconds, in seconds.
fn seconds(duration: &str) -> f64 {
    let (number, scale) = if let Some(n) = duration.strip_suffix("ms") {
        (n, 0.001)
    } else if let Some(n) = duration.strip_suffix('s') {
        (n, 1.0)
    } else if let Some(n) = duration.strip_suffix('m') {
        (n, 60.0)
    } else {
        (duration, 1.0)
    };
    number
        .parse::<f64>()
        .unwrap_or_else(|_| panic!("not a duration: {duration:?}"))
        * scale
}

/// The least time the kubelet must leave after SHUTDOWN_DELAY + SHUTDOWN_TIMEOUT before its
/// SIGKILL: the process still logs, flushes and exits after the drain deadline.
const GRACE_MARGIN_SECONDS: f64 = 2.0;

/// The container serves probes on `HEALTH_PORT` (a named container port other than `port`):
/// startup and readiness on `/readyz`, liveness on `/livez`.
fn check_probes(container: &serde_json::Value, port: u16) {
    let health_env = container["env"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "HEALTH_PORT")
        .and_then(|e| e["value"].as_str())
        .unwrap_or_else(|| panic!("no HEALTH_PORT in {container}"));
    let health: u16 = health_env
        .parse()
        .unwrap_or_else(|_| panic!("HEALTH_PORT={health_env:?} is not a port"));
    assert_ne!(
        health, port,
        "HEALTH_PORT equals PORT: the service would exit 78"
    );
    let named = |name: &str| {
        container["ports"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .and_then(|p| p["containerPort"].as_u64())
    };
    for (probe, path) in [
        ("startupProbe", "/readyz"),
        ("readinessProbe", "/readyz"),
        ("livenessProbe", "/livez"),
    ] {
        let get = &container[probe]["httpGet"];
        assert_eq!(get["path"], path, "{probe}: {get}");
        let target = match &get["port"] {
            serde_json::Value::String(name) => named(name),
            other => other.as_u64(),
        };
        assert_eq!(
            target,
            Some(u64::from(health)),
            "{probe} does not probe HEALTH_PORT {health}: {get}"
        );
    }
}

/// Runs every validator on the deploy files of project `name` (default port `port`) and checks
/// the process-manager recipe.
fn check_deploy_files(project: &Path, name: &str, port: u16, binary: &Path) {
    let port_text = port.to_string();

    // Dockerfile: hadolint finds nothing at warning level or above; the final instruction that
    // starts the service is in exec form.
    let dockerfile = project.join("Dockerfile");
    let mut cmd = Command::new("hadolint");
    cmd.args(["--failure-threshold", "warning", "--no-color"])
        .arg(&dockerfile);
    let out = run(&mut cmd);
    assert_success(&cmd, &out);
    let findings = text(&out.stdout);
    eprintln!(
        "hadolint: {}",
        if findings.trim().is_empty() {
            "no findings"
        } else {
            findings.trim()
        }
    );
    let docker = fs::read_to_string(&dockerfile).unwrap();
    let start = docker
        .lines()
        .rfind(|l| l.starts_with("CMD") || l.starts_with("ENTRYPOINT"))
        .expect("no CMD or ENTRYPOINT");
    let args = start.split_once(' ').unwrap().1.trim();
    assert!(
        args.starts_with('[') && args.ends_with(']'),
        "not exec form: {start}"
    );
    assert!(
        args.contains(&format!("/{name}\"")),
        "{start} does not run {name}"
    );
    assert!(docker.contains(&format!("EXPOSE {port}\n")), "{docker}");
    let last_from = docker.rsplit("\nFROM ").next().unwrap();
    let user = last_from
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix("USER "))
        .map(|u| u.trim().split(':').next().unwrap());
    assert!(
        user.is_some_and(|u| u != "root" && u != "0"),
        "the runtime stage does not run as a non-root user:\n{last_from}"
    );

    // Kubernetes: every manifest validates (strict: no unknown fields) against the newest
    // Kubernetes whose schemas kubernetes-validate bundles (so it works offline), which must be
    // a current release.
    let k8s_dir = project.join("deploy/k8s");
    let mut manifests: Vec<PathBuf> = fs::read_dir(&k8s_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    manifests.sort();
    assert!(
        manifests.len() >= 2,
        "expected a Deployment and a Service in {k8s_dir:?}"
    );
    let mut cmd = Command::new("kubernetes-validate");
    cmd.arg("--strict").args(&manifests);
    let out = run(&mut cmd);
    assert_success(&cmd, &out);
    let report = text(&out.stdout) + &text(&out.stderr);
    eprintln!("kubernetes-validate: {}", report.trim());
    assert!(
        !report.contains("WARN") && !report.contains("ERROR"),
        "kubernetes-validate:\n{report}"
    );
    for line in report.lines() {
        let version = line
            .split("against version ")
            .nth(1)
            .unwrap_or_else(|| panic!("unexpected kubernetes-validate output: {line}"));
        let minor: u32 = version
            .trim()
            .strip_prefix("1.")
            .and_then(|v| v.split('.').next()?.parse().ok())
            .unwrap_or_else(|| panic!("unexpected Kubernetes version in: {line}"));
        assert!(
            minor >= OLDEST_CURRENT_KUBERNETES_MINOR,
            "validated against an outdated Kubernetes 1.{minor}: upgrade kubernetes-validate"
        );
    }

    let docs: Vec<serde_json::Value> = manifests.iter().flat_map(|m| yaml_documents(m)).collect();
    let kinds: Vec<&str> = docs.iter().filter_map(|d| d["kind"].as_str()).collect();
    assert!(kinds.contains(&"Service"), "no Service among {kinds:?}");
    let deployment = docs
        .iter()
        .find(|d| d["kind"] == "Deployment")
        .unwrap_or_else(|| panic!("no Deployment among {kinds:?}"));
    let pod = &deployment["spec"]["template"]["spec"];
    let container = &pod["containers"][0];
    let env = |var: &str| {
        container["env"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["name"] == var)
            .and_then(|e| e["value"].as_str())
            .map(str::to_owned)
    };
    assert_eq!(
        env("PORT").as_deref(),
        Some(port_text.as_str()),
        "PORT in {container}"
    );
    assert_eq!(container["ports"][0]["containerPort"], port);
    let grace = pod["terminationGracePeriodSeconds"]
        .as_f64()
        .expect("terminationGracePeriodSeconds");
    let delay = env("SHUTDOWN_DELAY").map_or(0.0, |d| seconds(&d));
    let timeout = env("SHUTDOWN_TIMEOUT").map_or(9.0, |t| seconds(&t));
    assert!(
        grace >= delay + timeout + GRACE_MARGIN_SECONDS,
        "terminationGracePeriodSeconds {grace} < SHUTDOWN_DELAY {delay} + SHUTDOWN_TIMEOUT \
         {timeout} + a {GRACE_MARGIN_SECONDS} s margin"
    );
    check_probes(container, port);
    // The service's own variable (`Settings` in src/main.rs) is passed too.
    assert_eq!(
        env("GREETING").as_deref(),
        Some("Hello"),
        "GREETING in {container}"
    );

    // systemd: the recipe's keys, and `systemd-analyze verify` prints nothing at all. verify
    // checks that ExecStart exists, so a copy of the units points it at the binary just built.
    let systemd_dir = project.join("deploy/systemd");
    let service_unit = fs::read_to_string(systemd_dir.join(format!("{name}.service"))).unwrap();
    let socket_unit = fs::read_to_string(systemd_dir.join(format!("{name}.socket"))).unwrap();
    let keys: Vec<&str> = service_unit.lines().map(str::trim).collect();
    assert!(
        keys.contains(&"Environment=GREETING=Hello"),
        "{name}.service does not pass the service's own GREETING"
    );
    for key in [
        "Type=notify",
        "Restart=always",
        "RestartPreventExitStatus=78 64",
    ] {
        assert!(keys.contains(&key), "no {key} in {name}.service");
    }
    assert!(
        !service_unit.contains("PIDFile="),
        "{name}.service has PIDFile="
    );
    assert!(keys.contains(&format!("ExecStart=/usr/local/bin/{name}").as_str()));
    let stop = keys
        .iter()
        .find_map(|k| k.strip_prefix("TimeoutStopSec="))
        .expect("TimeoutStopSec=");
    let timeout = keys
        .iter()
        .find_map(|k| k.strip_prefix("Environment=SHUTDOWN_TIMEOUT="))
        .map_or(9.0, seconds);
    assert!(
        seconds(stop) > timeout,
        "TimeoutStopSec={stop} does not exceed SHUTDOWN_TIMEOUT"
    );
    assert!(
        socket_unit
            .lines()
            .any(|l| l.trim() == format!("ListenStream={port}")),
        "{name}.socket does not listen on {port}"
    );

    let units = project.with_file_name(format!("{name}-units"));
    fs::create_dir_all(&units).unwrap();
    let service_copy = units.join(format!("{name}.service"));
    let socket_copy = units.join(format!("{name}.socket"));
    fs::write(
        &service_copy,
        service_unit.replace(
            &format!("ExecStart=/usr/local/bin/{name}"),
            &format!("ExecStart={}", binary.display()),
        ),
    )
    .unwrap();
    fs::write(&socket_copy, &socket_unit).unwrap();
    // The worker process type: its own unit, the same binary with `worker`.
    let worker_unit =
        fs::read_to_string(systemd_dir.join(format!("{name}-worker.service"))).unwrap();
    let worker_exec = format!("ExecStart=/usr/local/bin/{name} worker");
    assert!(
        worker_unit.lines().any(|l| l.trim() == worker_exec),
        "no {worker_exec} in {name}-worker.service"
    );
    let worker_copy = units.join(format!("{name}-worker.service"));
    fs::write(
        &worker_copy,
        worker_unit.replace(
            &worker_exec,
            &format!("ExecStart={} worker", binary.display()),
        ),
    )
    .unwrap();
    let mut cmd = Command::new("systemd-analyze");
    cmd.args(["verify", "--man=no"])
        .arg(&service_copy)
        .arg(&socket_copy)
        .arg(&worker_copy);
    let out = run(&mut cmd);
    assert_success(&cmd, &out);
    let report = text(&out.stdout) + &text(&out.stderr);
    assert!(
        report.trim().is_empty(),
        "systemd-analyze verify:\n{report}"
    );
    fs::remove_dir_all(&units).unwrap();

    // Procfile: `web`, `worker` and `release`, each execing the service with its type.
    let procfile = fs::read_to_string(project.join("Procfile")).unwrap();
    for kind in ["web", "worker", "release"] {
        let line = procfile
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{kind}:")))
            .unwrap_or_else(|| panic!("no {kind}: process in Procfile:\n{procfile}"));
        assert!(line.trim().starts_with("exec "), "{kind}: {line}");
        assert!(
            line.trim().ends_with(&format!("/{name} {kind}")),
            "{kind}: {line}"
        );
    }

    // Kubernetes: the worker Deployment and the release Job run the same image with their
    // type as the argument; the Job opens no port.
    let image = |doc: &serde_json::Value| doc["spec"]["template"]["spec"]["containers"][0].clone();
    let worker = docs
        .iter()
        .find(|d| d["kind"] == "Deployment" && image(d)["args"][0] == "worker")
        .unwrap_or_else(|| panic!("no worker Deployment among {kinds:?}"));
    let job = docs
        .iter()
        .find(|d| d["kind"] == "Job")
        .unwrap_or_else(|| panic!("no release Job among {kinds:?}"));
    assert_eq!(image(job)["args"][0], "release");
    assert!(image(job)["ports"].is_null(), "the release Job opens ports");
    assert_eq!(image(worker)["image"], container["image"]);
    assert_eq!(image(job)["image"], container["image"]);
    check_process_types(project, binary);
}

/// The three types of the built binary: `release` exits 0 with a bad PORT and binds nothing,
/// and honcho runs `web` and `worker` together from the Procfile, each answering its probes.
fn check_process_types(project: &Path, binary: &Path) {
    let out = clean_command(binary)
        .arg("release")
        .env("PORT", "abc")
        .env("HEALTH_PORT", "1")
        .output()
        .unwrap();
    assert!(out.status.success(), "release: {out:?}");
    assert_eq!(text(&out.stdout), "release: nothing to migrate\n");

    let (web_port, web_health, worker_health) = (free_port(), free_port(), free_port());
    let procfile = project.with_file_name("Procfile.types");
    fs::write(
        &procfile,
        format!(
            "web: PORT={web_port} HEALTH_PORT={web_health} exec {binary} web\n\
             worker: PORT={web_port} HEALTH_PORT={worker_health} exec {binary} worker\n",
            binary = binary.display()
        ),
    )
    .unwrap();
    let mut honcho = Command::new("honcho");
    honcho
        .arg("-f")
        .arg(&procfile)
        .args(["start", "web", "worker"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let child = honcho.spawn().expect("run honcho");
    for port in [web_health, worker_health] {
        wait_for_port(port, Duration::from_secs(30));
        let start = std::time::Instant::now();
        while http_get(port, "/readyz").map(|(code, _)| code).ok() != Some(200) {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "/readyz on {port}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    // Both types on one PORT would clash: only the web binds it.
    assert_eq!(http_get(web_port, "/").unwrap().0, 200);
    send_signal(child.id(), "TERM");
    // honcho has been seen to log "SIGTERM received" and not pass it on: after 60 s the
    // services get it directly, so a stuck honcho fails this test instead of hanging it.
    let honcho_pid = child.id();
    let binary_path = binary.display().to_string();
    let watchdog = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(60));
        if std::path::Path::new(&format!("/proc/{honcho_pid}")).exists() {
            let _ = Command::new("pkill")
                .args(["-TERM", "-f", &binary_path])
                .status();
        }
    });
    let out = child.wait_with_output().unwrap();
    drop(watchdog);
    let logs = text(&out.stdout);
    assert!(logs.contains("worker ready"), "{logs}");
    let _ = fs::remove_file(&procfile);
}

#[test]
#[ignore = "needs cargo-generate, hadolint, kubernetes-validate, systemd-analyze (.ci/install-tools)"]
fn default_project_builds_tests_serves_drains_and_deploys() {
    let scratch = TempDir::new("default");
    let name = "demo-svc";
    let project = generate(&scratch, name, &[]);
    let files = files(&project);
    assert_fully_rendered(&files);

    let manifest = file(&files, "Cargo.toml");
    assert!(
        manifest.contains(&format!("name = \"{name}\"")),
        "{manifest}"
    );
    assert!(manifest.contains("twelvefactor = \"0.1\""), "{manifest}");
    assert!(
        !manifest.contains("\"*\""),
        "wildcard dependency:\n{manifest}"
    );
    let main = file(&files, "src/main.rs");
    assert!(main.contains("#[twelve_factor::main("), "{main}");
    assert!(main.contains("port = 8080"), "{main}");
    for path in [".gitignore", ".dockerignore", "README.md"] {
        assert!(!file(&files, path).trim().is_empty(), "{path} is empty");
    }
    let readme = file(&files, "README.md");
    for section in ["## Run", "## Test", "## Deploy"] {
        assert!(readme.contains(section), "README.md lacks {section}");
    }
    // CI is on by default, and GitHub's expressions survived rendering.
    let ci = file(&files, ".github/workflows/ci.yml");
    assert!(ci.contains("${{ github.ref }}"), "{ci}");
    assert!(
        ci.contains(&format!("tags: {name}:${{{{ github.sha }}}}")),
        "{ci}"
    );

    let binary = build(&project, name);
    // The checks the generated CI runs: formatting, clippy with warnings denied, the tests.
    for args in [
        &["fmt", "--check"][..],
        &[
            "clippy",
            "--all-targets",
            "--locked",
            "--",
            "-D",
            "warnings",
        ],
    ] {
        let (cmd, out) = cargo_in(&project, args);
        assert_success(&cmd, &out);
    }
    let (cmd, out) = cargo_in(&project, &["test", "--locked"]);
    assert_success(&cmd, &out);
    let summary = text(&out.stdout);
    assert!(summary.contains("test result: ok"), "{summary}");

    let port = free_port();
    let logs = serve_health_and_drain(&binary, port, &[("PORT", port.to_string())]);
    // The default log format is JSON: the drain line is one JSON object.
    let line = drained_line(&logs);
    let event: serde_json::Value = serde_json::from_str(line)
        .unwrap_or_else(|e| panic!("default log format is not JSON ({e}): {line}"));
    assert!(event.is_object(), "{line}");

    // The service's own variable reaches its route, and a bad environment is every line at once.
    assert_eq!(
        index_with(&binary, &[("GREETING", "Howdy")]),
        "Howdy from demo-svc!\n"
    );
    let out = run(clean_command(&binary)
        .env("PORT", "x")
        .env("GREETING_FILE", "/nonexistent"));
    assert_eq!(out.status.code(), Some(78), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stderr),
        "demo-svc: invalid PORT=\"x\": expected an integer from 0 to 65535\n\
         demo-svc: cannot read GREETING_FILE=\"/nonexistent\": No such file or directory (os error 2)\n"
    );

    check_deploy_files(&project, name, 8080, &binary);
}

/// The body of `GET /` from `binary` started with `env` on a free port.
fn index_with(binary: &Path, env: &[(&str, &str)]) -> String {
    let port = free_port();
    let mut cmd = clean_command(binary);
    cmd.env("HOST", "127.0.0.1")
        .env("PORT", port.to_string())
        .envs(env.iter().copied());
    let service = Service::spawn(cmd);
    wait_for_port(port, Duration::from_secs(30));
    let response = http_get(port, "/");
    service.kill("TERM");
    let exit = service.wait(Duration::from_secs(30));
    assert_eq!(exit.code(), Some(0), "{exit:?}");
    match response {
        Ok((200, body)) => body,
        other => panic!("GET /: {other:?}"),
    }
}

#[test]
#[ignore = "needs cargo-generate, hadolint, kubernetes-validate, systemd-analyze (.ci/install-tools)"]
fn placeholder_values_take_effect() {
    let scratch = TempDir::new("custom");
    let name = "custom-svc";
    // The default port becomes one that is free right now, so the service can be run without
    // PORT to show that the placeholder reached `#[twelve_factor::main(port = …)]`.
    let port = free_port();
    let port_text = port.to_string();
    let description = "Custom service made by tests/it/template.rs";
    let project = generate(
        &scratch,
        name,
        &[
            ("description", description),
            ("port", &port_text),
            ("log_format", "text"),
            ("shutdown_timeout", "20"),
            ("shutdown_delay", "7"),
            ("ci", "false"),
        ],
    );
    let files = files(&project);
    assert_fully_rendered(&files);

    let manifest = file(&files, "Cargo.toml");
    assert!(
        manifest.contains(&format!("name = \"{name}\"")),
        "{manifest}"
    );
    assert!(
        manifest.contains(&format!("description = \"{description}\"")),
        "{manifest}"
    );
    let main = file(&files, "src/main.rs");
    for arg in [
        format!("port = {port}"),
        "log = \"text\"".to_owned(),
        "shutdown_timeout = \"20s\"".to_owned(),
    ] {
        assert!(main.contains(&arg), "no `{arg}` in src/main.rs:\n{main}");
    }
    let dockerfile = file(&files, "Dockerfile");
    assert!(
        dockerfile.contains(&format!("ENV PORT={port}\n")),
        "{dockerfile}"
    );
    let service_unit = file(&files, &format!("deploy/systemd/{name}.service"));
    assert!(
        service_unit.contains(&format!("Description={description}\n")),
        "{service_unit}"
    );
    assert!(
        service_unit.contains("Environment=SHUTDOWN_TIMEOUT=20s\n"),
        "{service_unit}"
    );
    let deployment = file(&files, "deploy/k8s/deployment.yaml");
    assert!(deployment.contains("value: \"7s\""), "{deployment}");
    assert!(deployment.contains("value: \"20s\""), "{deployment}");
    assert!(
        !files.keys().any(|path| path.starts_with(".github")),
        "ci=false still generated {:?}",
        files
            .keys()
            .filter(|p| p.starts_with(".github"))
            .collect::<Vec<_>>()
    );

    let binary = build(&project, name);
    // No PORT in the environment: the service listens on the port chosen at generation time,
    // and logs in the chosen text format.
    let logs = serve_health_and_drain(&binary, port, &[]);
    let line = drained_line(&logs);
    assert!(
        serde_json::from_str::<serde_json::Value>(line).is_err(),
        "log_format=text still logs JSON: {line}"
    );

    check_deploy_files(&project, name, port, &binary);
}

#[test]
#[ignore = "needs cargo-generate (.ci/install-tools)"]
fn bad_placeholder_values_are_refused() {
    let scratch = TempDir::new("refused");
    let cases = [
        ("port", "abc"),
        ("port", "0"),
        ("port", "65536"),
        ("log_format", "xml"),
        ("shutdown_timeout", "ten"),
        ("shutdown_delay", "-1"),
        ("description", "say \"hi\""),
        ("description", "100% uptime"),
    ];
    for (i, (key, value)) in cases.into_iter().enumerate() {
        let dest = scratch.0.join(i.to_string());
        fs::create_dir_all(&dest).unwrap();
        let (cmd, out) = cargo_generate("bad-svc", &dest, &[(key, value)]);
        assert!(
            !out.status.success(),
            "{key}={value:?} was accepted: {cmd:?}\n{}",
            text(&out.stdout)
        );
        let said = text(&out.stdout) + &text(&out.stderr);
        assert!(
            said.contains(&format!("is not a valid value for {key}")),
            "{key}={value:?} refused for another reason:\n{said}"
        );
        // cargo-generate may leave the empty project directory behind, but nothing in it.
        assert!(
            !dest.join("bad-svc/Cargo.toml").exists(),
            "{key}={value:?} was refused but left a project behind"
        );
    }
}
