//! Service shapes migrated from `#[tokio::main]` to `#[twelve_factor::main]`, each built and run
//! as a real process: the fixture package `tests/fixtures/corpus` has one binary per shape (own
//! subscriber with `log = "off"`, a `log`-only dependency, `ExitCode` sync and async,
//! `Result<ExitCode, E>`, `-> !`, `flavor = "local"`, `pub async fn main` with `name`,
//! `anyhow::Result`, child processes, axum with graceful shutdown, a synchronous worker).
//! Each test checks the exit code and what reached stdout.
//!
//! The fixture is built once, into its own target directory, `--offline` first (the network
//! only when the local registry cache lacks a crate).

use crate::support::cargo::{offline_first, target_dir};
use crate::support::http::{free_port, http_get, wait_for_port};
use crate::support::process::{clean_command, Exit, Service};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;
use std::time::Duration;

const START: Duration = Duration::from_secs(30);
const STOP: Duration = Duration::from_secs(20);

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corpus")
}

/// `cargo build ARGS` of the fixture into `target/TARGET`, `--offline` first.
fn cargo_build(target: &str, args: &[&str]) -> (Output, PathBuf) {
    let target = target_dir(target);
    let output = offline_first("build", &fixture(), &target, args);
    (output, target.join("debug"))
}

/// The directory holding the binaries, built with the default features.
fn bin_dir() -> &'static Path {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| {
        let (output, dir) = cargo_build("corpus_fixture", &["--bins"]);
        assert!(
            output.status.success(),
            "the corpus fixture does not build:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        dir
    })
}

/// Starts corpus binary `name` with a clean contract environment plus `env`.
fn start(name: &str, env: &[(&str, &str)]) -> Service {
    let mut command = clean_command(bin_dir().join(name));
    command.env("NO_COLOR", "1").envs(env.iter().copied());
    Service::spawn(command)
}

/// Runs `name` to its own exit.
fn run(name: &str, env: &[(&str, &str)]) -> Exit {
    start(name, env).wait(STOP)
}

fn assert_exit(exit: &Exit, code: i32) {
    assert_eq!(
        exit.code(),
        Some(code),
        "stdout:\n{}\nstderr:\n{}",
        exit.stdout,
        exit.stderr
    );
}

#[test]
fn own_subscriber_with_log_off() {
    let exit = run("own_subscriber", &[]);
    assert_exit(&exit, 0);
    // The program's own format (no target, no time): the line starts with the level.
    assert!(
        exit.stdout.lines().any(|line| line
            .trim_start()
            .starts_with("INFO own subscriber installed")),
        "{}",
        exit.stdout
    );
    assert!(!exit.stderr.contains("panicked"), "{}", exit.stderr);
}

#[test]
fn log_records_reach_stdout_through_the_same_filter() {
    let exit = run("log_only", &[]);
    assert_exit(&exit, 0);
    assert!(
        exit.stdout
            .contains("logonly: connected to db.internal:5432 (a log record)"),
        "{}",
        exit.stdout
    );
    assert!(
        !exit.stdout.contains("a debug log record"),
        "{}",
        exit.stdout
    );

    let exit = run("log_only", &[("RUST_LOG", "logonly=debug,warn")]);
    assert_exit(&exit, 0);
    assert!(
        exit.stdout.contains("a debug log record"),
        "{}",
        exit.stdout
    );
    assert!(!exit.stdout.contains("started"), "{}", exit.stdout);

    let exit = run("log_only", &[("LOG_FORMAT", "json")]);
    assert_exit(&exit, 0);
    let line = exit
        .stdout
        .lines()
        .find(|line| line.contains("a log record"))
        .unwrap_or_else(|| panic!("{}", exit.stdout));
    assert!(
        line.starts_with('{') && line.contains("\"level\":\"INFO\""),
        "{line}"
    );
}

#[test]
fn exit_code_sync_passes_the_code_through() {
    assert_exit(&run("exit_code_sync", &[]), 0);
    let exit = run("exit_code_sync", &[("CORPUS_FAIL", "1")]);
    assert_exit(&exit, 3);
    assert!(
        exit.stdout.contains("main returned exit code 3"),
        "{}",
        exit.stdout
    );
}

#[test]
fn exit_code_async_after_a_drain() {
    let port = free_port();
    let service = start("exit_code_async", &[("PORT", &port.to_string())]);
    wait_for_port(port, START);
    service.kill("TERM");
    let exit = service.wait(STOP);
    assert_exit(&exit, 4);
    assert!(exit.stdout.contains("SIGTERM"), "{}", exit.stdout);
}

#[test]
fn result_exit_code_ok_and_err() {
    assert_exit(&run("result_exit_code", &[]), 5);
    let exit = run("result_exit_code", &[("CORPUS_READ", "/nonexistent/file")]);
    assert_exit(&exit, 1);
    assert!(
        exit.stdout.contains("No such file or directory"),
        "{}",
        exit.stdout
    );
}

#[test]
fn never_returning_server_drains_on_sigterm() {
    let port = free_port();
    let service = start("never_returns", &[("PORT", &port.to_string())]);
    wait_for_port(port, START);
    let (status, body) = http_get(port, "/").expect("request");
    assert_eq!((status, body.as_str()), (200, "hello"));
    service.kill("TERM");
    let exit = service.wait(STOP);
    assert_exit(&exit, 0);
    assert!(exit.stdout.contains("shutdown complete"), "{}", exit.stdout);
}

#[test]
fn local_flavor_runs_spawn_local() {
    let exit = run("local_flavor", &[]);
    assert_exit(&exit, 0);
    assert!(
        exit.stdout.contains("local tasks done count=3"),
        "{}",
        exit.stdout
    );
}

#[test]
fn spawn_local_without_a_local_set_says_which_flavor_has_one() {
    let exit = run("spawn_local_current_thread", &[]);
    assert_exit(&exit, 101);
    let line = exit
        .stdout
        .lines()
        .find(|line| line.contains("panicked"))
        .unwrap_or_else(|| panic!("{}", exit.stdout));
    assert!(line.contains("`spawn_local` called from outside"), "{line}");
    assert!(
        line.contains(
            "hint=\"use #[twelve_factor::main(flavor = \\\"local\\\")] to run main in a LocalSet\""
        ),
        "{line}"
    );
}

#[test]
fn pub_main_with_named_threads() {
    let exit = run("pub_main", &[]);
    assert_exit(&exit, 0);
    assert!(
        exit.stdout
            .contains("worker thread thread=\"corpus-worker\""),
        "{}",
        exit.stdout
    );
}

#[test]
fn anyhow_error_chain_and_exit_1() {
    let exit = run("anyhow_result", &[]);
    assert_exit(&exit, 1);
    assert!(
        exit.stdout.contains(
            "loading settings from /nonexistent/settings.toml: No such file or directory"
        ),
        "{}",
        exit.stdout
    );
    let settings = std::env::temp_dir().join(format!("corpus-settings-{}", std::process::id()));
    std::fs::write(&settings, "x = 1\n").unwrap();
    let exit = run(
        "anyhow_result",
        &[("CORPUS_SETTINGS", settings.to_str().unwrap())],
    );
    let _ = std::fs::remove_file(&settings);
    assert_exit(&exit, 0);
    assert!(
        exit.stdout.contains("settings loaded len=6"),
        "{}",
        exit.stdout
    );
}

#[test]
fn anyhow_result_of_exit_code() {
    assert_exit(&run("anyhow_exit_code", &[]), 0);
    assert_exit(&run("anyhow_exit_code", &[("CORPUS_COMMAND", "sync")]), 6);
    let exit = run("anyhow_exit_code", &[("CORPUS_COMMAND", "fly")]);
    assert_exit(&exit, 1);
    assert!(
        exit.stdout
            .contains("running the command: no such command: fly"),
        "{}",
        exit.stdout
    );
}

#[test]
fn own_ctrl_c_and_listener_keep_working() {
    // SIGINT reaches the program's own `ctrl_c()`, so `main` returns by itself; SIGTERM only
    // reaches the runtime, which cancels `main` (it takes no `App`). Both drain and exit 0.
    for (signal, line) in [
        ("INT", "ctrl-c seen by the program"),
        ("TERM", "received SIGTERM"),
    ] {
        let port = free_port();
        let service = start("own_ctrl_c", &[("PORT", &port.to_string())]);
        wait_for_port(port, START);
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        std::io::Write::write_all(&mut stream, b"PING").unwrap();
        let mut echoed = [0; 4];
        std::io::Read::read_exact(&mut stream, &mut echoed).unwrap();
        assert_eq!(&echoed, b"PING");
        service.kill(signal);
        let exit = service.wait(STOP);
        assert_exit(&exit, 0);
        assert!(exit.stdout.contains(line), "{signal}: {}", exit.stdout);
        assert!(exit.stdout.contains("shutdown complete"), "{}", exit.stdout);
    }
}

#[test]
fn children_run_and_stop_with_the_service() {
    let service = start("spawns_children", &[]);
    service.wait_for_stdout("long-running child started", START);
    service.kill("TERM");
    let exit = service.wait(STOP);
    assert_exit(&exit, 0);
    assert!(
        exit.stdout
            .contains("one-off child finished said=\"child says hi\" code=7"),
        "{}",
        exit.stdout
    );
    assert!(exit.stdout.contains("child stopped"), "{}", exit.stdout);
}

#[test]
fn axum_serves_and_shuts_down_gracefully() {
    let port = free_port();
    let service = start("axum_graceful", &[("PORT", &port.to_string())]);
    wait_for_port(port, START);
    let (status, body) = http_get(port, "/").expect("request");
    assert_eq!((status, body.as_str()), (200, "hello from axum"));
    service.kill("TERM");
    let exit = service.wait(STOP);
    assert_exit(&exit, 0);
    assert!(exit.stdout.contains("shutdown complete"), "{}", exit.stdout);
}

#[test]
fn sync_worker_stops_between_jobs() {
    let service = start("sync_worker", &[]);
    service.wait_for_stdout("first job done", START);
    service.kill("TERM");
    let exit = service.wait(STOP);
    assert_exit(&exit, 0);
    assert!(
        exit.stdout.contains("worker stopped jobs_done=true"),
        "{}",
        exit.stdout
    );
}

#[test]
fn log_json_attribute_is_the_default_format() {
    let exit = run("json_default", &[]);
    assert_exit(&exit, 0);
    let line = exit
        .stdout
        .lines()
        .find(|line| line.contains("json by default"))
        .unwrap_or_else(|| panic!("{}", exit.stdout));
    assert!(
        line.starts_with('{') && line.contains("\"shape\":\"json_default\""),
        "{line}"
    );
}

/// Built without the default `json` feature (its own target directory, so the default build's
/// binaries stay as they are): `LOG_FORMAT=json` is a configuration error, and `log = "json"`
/// does not compile.
#[test]
fn without_the_json_feature() {
    let (output, dir) = cargo_build(
        "corpus_fixture_nojson",
        &["--no-default-features", "--bin", "log_only"],
    );
    assert!(
        output.status.success(),
        "log_only without json does not build:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut command = clean_command(dir.join("log_only"));
    command.env("LOG_FORMAT", "json");
    let exit = Service::spawn(command).wait(STOP);
    assert_exit(&exit, 78);
    assert_eq!(
        exit.stderr.trim(),
        "log_only: invalid LOG_FORMAT=\"json\": JSON logs are off in this build (the `json` \
         feature of twelvefactor is disabled); use `text`, or enable the feature",
    );
    assert!(exit.stdout.is_empty(), "{}", exit.stdout);
    let exit = Service::spawn(clean_command(dir.join("log_only"))).wait(STOP);
    assert_exit(&exit, 0);
    assert!(exit.stdout.contains("a log record"), "{}", exit.stdout);

    let (output, _) = cargo_build(
        "corpus_fixture_nojson",
        &["--no-default-features", "--bin", "json_default"],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "json_default built without json");
    assert!(
        stderr.contains("`log = \"json\"` needs the `json` feature of twelvefactor, which is off"),
        "{stderr}"
    );
}
