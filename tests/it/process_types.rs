//! Process types and one-off admin processes from one binary (`examples/process_types.rs`):
//! selection by the first argument, `PROCESS_TYPE` and the default; a worker's probes; one-offs
//! that ignore the variables of listening and keep stdout for their output; `--help` and
//! `--version` before the environment is read; the `process` field of JSON lines. Then the
//! command-line shapes of public services, decided by the same function the runtime calls.

use crate::support::http::{free_port, http_get, wait_for_port};
use crate::support::process::Service;
use std::net::TcpStream;
use std::time::Duration;

const EXAMPLE: &str = "process_types";
const WAIT: Duration = Duration::from_secs(30);

fn run(args: &[&str], env: &[(&str, &str)]) -> crate::support::process::Exit {
    let mut command = Service::command(EXAMPLE, env);
    command.args(args);
    Service::spawn(command).wait(WAIT)
}

fn wait_ready(health: u16) {
    wait_for_port(health, WAIT);
    let start = std::time::Instant::now();
    loop {
        match http_get(health, "/readyz") {
            Ok((200, _)) => return,
            _ if start.elapsed() < WAIT => std::thread::sleep(Duration::from_millis(10)),
            other => panic!("/readyz never answered 200: {other:?}"),
        }
    }
}

#[test]
fn the_default_type_runs_without_an_argument() {
    let port = free_port();
    let service = Service::start(EXAMPLE, &[("PORT", &port.to_string())]);
    wait_for_port(port, WAIT);
    assert_eq!(http_get(port, "/").unwrap(), (200, "web\n".to_owned()));
    service.kill("TERM");
    assert_eq!(service.wait(WAIT).code(), Some(0));
}

/// `worker` by the first argument and by `PROCESS_TYPE`: it binds nothing on `PORT`, yet its
/// probes answer on `HEALTH_PORT` once it says `ready()`, and its JSON lines say which it is.
#[test]
fn a_worker_binds_nothing_and_answers_its_probes() {
    for by_argument in [true, false] {
        let (port, health) = (free_port(), free_port());
        let (port_text, health_text) = (port.to_string(), health.to_string());
        let mut env = vec![
            ("PORT", port_text.as_str()),
            ("HEALTH_PORT", health_text.as_str()),
            ("LOG_FORMAT", "json"),
        ];
        if !by_argument {
            env.push(("PROCESS_TYPE", "worker"));
        }
        let mut command = Service::command(EXAMPLE, &env);
        if by_argument {
            command.arg("worker");
        }
        let service = Service::spawn(command);
        wait_ready(health);
        service.wait_for_stdout("worker waiting for jobs", WAIT);
        assert!(
            TcpStream::connect(("127.0.0.1", port)).is_err(),
            "the worker bound PORT"
        );
        service.kill("TERM");
        let exit = service.wait(WAIT);
        assert_eq!(exit.code(), Some(0), "{exit:?}");
        let lines: Vec<&str> = exit.stdout.lines().collect();
        assert!(lines.len() >= 3, "{exit:?}");
        for line in lines {
            assert!(
                line.starts_with("{\"process\":\"worker\","),
                "a JSON line without the process type: {line}"
            );
            let _: serde_json::Value = serde_json::from_str(line).expect("a JSON object");
        }
    }
}

/// A one-off reads no `PORT` nor `HEALTH_PORT` (both bad or in use here), binds nothing, gets
/// its own arguments, and its stdout holds only what it printed.
#[test]
fn a_one_off_ignores_listening_and_keeps_stdout_for_its_output() {
    let health = free_port();
    let exit = run(
        &["release", "--dry-run"],
        &[("PORT", "abc"), ("HEALTH_PORT", &health.to_string())],
    );
    assert_eq!(exit.code(), Some(0), "{exit:?}");
    assert_eq!(
        exit.stdout,
        "migrated (args: [\"--dry-run\"], listener refused: true)\n"
    );
    assert_eq!(exit.stderr, "");
    let exit = run(&["export"], &[]);
    assert_eq!(exit.stdout, "[{\"id\":1},{\"id\":2}]\n", "{exit:?}");
    // Asked for: the runtime's own lines are there at debug.
    let exit = run(&["export"], &[("RUST_LOG", "debug")]);
    assert!(exit.stdout.contains("shutdown complete"), "{exit:?}");
}

#[test]
fn a_one_off_exits_1_when_it_fails_and_78_on_configuration_it_reads() {
    let exit = run(&["release"], &[("RELEASE_FAIL", "true"), ("PORT", "abc")]);
    assert_eq!(exit.code(), Some(1), "{exit:?}");
    assert!(exit.stdout.contains("migration 0042 failed"), "{exit:?}");
    let exit = run(
        &["release"],
        &[("RELEASE_FAIL", "maybe"), ("SHUTDOWN_TIMEOUT", "soon")],
    );
    assert_eq!(exit.code(), Some(78), "{exit:?}");
    assert_eq!(exit.stderr.lines().count(), 2, "{exit:?}");
}

#[test]
fn an_unknown_type_is_one_line_and_exit_64() {
    let exit = run(&[], &[("PROCESS_TYPE", "wroker")]);
    assert_eq!(exit.code(), Some(64), "{exit:?}");
    assert_eq!(
        exit.stderr,
        "process_types: unknown process type \"wroker\" in PROCESS_TYPE; did you mean \"worker\"? (web, worker, release, export)\n"
    );
    assert_eq!(exit.stdout, "");
}

#[test]
fn help_and_version_answer_with_a_bad_environment() {
    let bad = [
        ("PORT", "abc"),
        ("RELEASE_FAIL", "maybe"),
        ("PROCESS_TYPE", "nope"),
    ];
    for flag in ["--version", "-V"] {
        let exit = run(&[flag], &bad);
        assert_eq!(exit.code(), Some(0), "{exit:?}");
        assert_eq!(
            exit.stdout,
            format!("twelvefactor {}\n", env!("CARGO_PKG_VERSION"))
        );
    }
    for flag in ["--help", "-h"] {
        let exit = run(&[flag], &bad);
        assert_eq!(exit.code(), Some(0), "{exit:?}");
        for name in [
            "web",
            "worker",
            "release",
            "export",
            "Runs the database migrations",
        ] {
            assert!(
                exit.stdout.contains(name),
                "{name} missing from:\n{}",
                exit.stdout
            );
        }
        for variable in twelve_factor::__private::BUILTIN_VARIABLES {
            assert!(
                exit.stdout.contains(&format!("\n  {} ", variable.name)),
                "{} missing from --help:\n{}",
                variable.name,
                exit.stdout
            );
        }
        assert!(exit.stdout.contains("RELEASE_FAIL"), "{}", exit.stdout);
    }
}

/// A program with its own clap command line (`cli = …`): clap's `--help` and `--version`
/// answer with a bad environment, its help ends with the runtime's sections, and the process
/// type still comes from the first argument.
#[test]
fn a_clap_program_keeps_its_own_help_and_version() {
    let bad = [("PORT", "abc"), ("PROCESS_TYPE", "nope")];
    let run_clap = |args: &[&str], env: &[(&str, &str)]| {
        let mut command = Service::command("process_types_clap", env);
        command.args(args);
        Service::spawn(command).wait(WAIT)
    };
    let exit = run_clap(&["--help"], &bad);
    assert_eq!(exit.code(), Some(0), "{exit:?}");
    for text in [
        "Usage: process_types_clap [OPTIONS]",
        "--batch <BATCH>",
        "generate-jwt",
        "JWT_SECRET",
    ] {
        assert!(
            exit.stdout.contains(text),
            "{text} missing from:\n{}",
            exit.stdout
        );
    }
    for variable in twelve_factor::builtin_variables() {
        assert!(
            exit.stdout.contains(&format!("\n  {} ", variable.name)),
            "{}",
            variable.name
        );
    }
    let exit = run_clap(&["--version"], &bad);
    assert_eq!(
        (exit.code(), exit.stdout.as_str()),
        (Some(0), "twelvefactor 0.1.0\n")
    );
    let exit = run_clap(&["generate-jwt", "--sub", "alice"], &[("PORT", "abc")]);
    assert_eq!(exit.code(), Some(0), "{exit:?}");
    assert_eq!(exit.stdout, "token for alice signed with a 8-byte secret\n");
    // clap's own usage error, exit 2, still before the environment.
    assert_eq!(run_clap(&["--bogus"], &bad).code(), Some(2));
}

/// Command lines of public services, as the runtime decides them.
mod shapes {
    use std::ffi::OsString;
    use twelve_factor::__private::cli::invocation::{decide, Command, Invocation};
    use twelve_factor::__private::cli::Source;
    use twelve_factor::ProcessType;

    const fn kind(name: &'static str, one_off: bool, default: bool) -> ProcessType {
        ProcessType {
            name,
            doc: "",
            one_off,
            default,
        }
    }

    fn decided(
        types: &'static [ProcessType],
        args: &[&str],
        env: Option<&str>,
        answers_flags: bool,
    ) -> Invocation {
        let args = args.iter().map(OsString::from).collect();
        match decide(types, args, env.map(OsString::from), answers_flags) {
            Ok(Command::Run(invocation)) => invocation,
            other => panic!("not a run: {other:?}"),
        }
    }

    fn strings(invocation: &Invocation) -> Vec<String> {
        invocation
            .args
            .iter()
            .map(|arg| arg.to_string_lossy().into_owned())
            .collect()
    }

    /// A hand-rolled `serve` | `migrate up|down` dispatch on the first argument.
    #[test]
    fn serve_or_migrate_with_a_direction() {
        const TYPES: &[ProcessType] = &[kind("serve", false, true), kind("migrate", true, false)];
        let run = decided(TYPES, &["migrate", "down"], None, true);
        assert_eq!((run.name(), run.one_off()), (Some("migrate"), true));
        assert_eq!(strings(&run), ["down"]);
        let run = decided(TYPES, &[], None, true);
        assert_eq!(
            (run.name(), run.from),
            (Some("serve"), Some(Source::Default))
        );
    }

    /// `svc --completions bash`: not a type, so the default type runs with both arguments.
    #[test]
    fn completions_flag_goes_to_the_default_type() {
        const TYPES: &[ProcessType] = &[kind("server", false, true)];
        let run = decided(TYPES, &["--completions", "bash"], None, true);
        assert_eq!(run.name(), Some("server"));
        assert_eq!(strings(&run), ["--completions", "bash"]);
    }

    /// A `generate-jwt --sub alice` one-shot beside the server.
    #[test]
    fn jwt_generate_one_shot() {
        const TYPES: &[ProcessType] = &[
            kind("server", false, true),
            kind("generate-jwt", true, false),
        ];
        let run = decided(TYPES, &["generate-jwt", "--sub", "alice"], None, true);
        assert_eq!((run.name(), run.one_off()), (Some("generate-jwt"), true));
        assert_eq!(strings(&run), ["--sub", "alice"]);
    }

    /// The same image in a web Deployment and a worker Deployment: `PROCESS_TYPE=worker`, no
    /// arguments; an argument still wins over the variable.
    #[test]
    fn one_image_two_deployments() {
        const TYPES: &[ProcessType] = &[kind("web", false, true), kind("worker", false, false)];
        let run = decided(TYPES, &[], Some("worker"), true);
        assert_eq!((run.name(), run.from), (Some("worker"), Some(Source::Env)));
        let run = decided(TYPES, &["web"], Some("worker"), true);
        assert_eq!(run.name(), Some("web"));
    }

    /// A program that parses its own command line (clap) keeps `--help` for itself.
    #[test]
    fn own_command_line_keeps_help() {
        const TYPES: &[ProcessType] = &[kind("web", false, true)];
        let run = decided(TYPES, &["--help"], None, false);
        assert_eq!(strings(&run), ["--help"]);
        assert!(matches!(
            decide(TYPES, vec!["--help".into()], None, true),
            Ok(Command::Help)
        ));
    }
}
