//! Configuration from the environment, end to end: the built examples run as real processes
//! with real environments, and their stderr, stdout and exit codes are checked.

use crate::support::process::Service;

/// Runs example `name` to completion in `env`; returns (exit code, stdout, stderr).
fn run(name: &str, env: &[(&str, &str)]) -> (Option<i32>, String, String) {
    let output = Service::command(name, env)
        .output()
        .expect("run the example");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn every_bad_builtin_variable_is_one_line_and_exit_78() {
    let (code, stdout, stderr) = run(
        "http",
        &[
            ("PORT", "abc"),
            ("HOST", "nope"),
            ("LOG_FORMAT", "xml"),
            ("SHUTDOWN_DELAY", "soon"),
        ],
    );
    assert_eq!(code, Some(78), "{stderr}");
    assert_eq!(stdout, "", "nothing on stdout");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(
        lines,
        [
            r#"http: invalid PORT="abc": expected an integer from 0 to 65535"#,
            r#"http: invalid HOST="nope": expected an IP address such as 0.0.0.0, 127.0.0.1 or ::"#,
            r#"http: invalid LOG_FORMAT="xml": expected `text` or `json`"#,
            r#"http: invalid SHUTDOWN_DELAY="soon": expected a whole number with an optional unit ms, s, m or h (e.g. 500ms, 30s, 2m; bare numbers are seconds)"#,
        ],
        "{stderr}"
    );
}

/// The variables `examples/config.rs` needs to start.
const REQUIRED: &[(&str, &str)] = &[
    ("SHOP_DATABASE_URL", "postgres://db/shop"),
    ("SHOP_API_TOKEN", "hunter2"),
];

fn with_required(extra: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
    let mut env = REQUIRED.to_vec();
    env.extend_from_slice(extra);
    env
}

/// The `fields` event of `examples/config.rs`.
fn fields_line(stdout: &str) -> &str {
    stdout
        .lines()
        .find(|line| line.contains(" fields "))
        .unwrap_or_else(|| panic!("no fields event:\n{stdout}"))
}

#[test]
fn builtin_and_user_errors_are_reported_together_one_line_each() {
    let (code, stdout, stderr) = run(
        "config",
        &[
            ("PORT", "abc"),
            ("SHOP_WORKERS", "many"),
            ("SHOP_CACHE_TTL", "30 seconds"),
            ("SHOP_DRY_RUN", "maybe"),
        ],
    );
    assert_eq!(code, Some(78), "{stderr}");
    assert_eq!(stdout, "", "nothing on stdout");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(
        lines,
        [
            r#"config: invalid PORT="abc": expected an integer from 0 to 65535"#,
            "config: missing SHOP_DATABASE_URL: Postgres connection string",
            r#"config: invalid SHOP_WORKERS="many": invalid digit found in string"#,
            r#"config: invalid SHOP_CACHE_TTL="30 seconds": expected a whole number with an optional unit ms, s, m or h (e.g. 500ms, 30s, 2m; bare numbers are seconds)"#,
            "config: missing SHOP_API_TOKEN: Token for the payment API",
            r#"config: invalid SHOP_DRY_RUN="maybe": expected true/false, 1/0, yes/no or on/off"#,
        ],
        "{stderr}"
    );
}

#[test]
fn every_field_type_is_parsed_from_the_environment() {
    let (code, stdout, stderr) = run(
        "config",
        &with_required(&[
            ("SHOP_WORKERS", "8"),
            ("SHOP_CACHE_TTL", "2m"),
            ("SHOP_UPSTREAM", "http://prices:8080"),
            ("SHOP_ADMIN_PIN", "1234"),
            ("FEATURES", "search, checkout ,beta"),
            ("SHOP_DRY_RUN", "YES"),
        ]),
    );
    assert_eq!(code, Some(0), "{stderr}");
    let line = fields_line(&stdout);
    for expected in [
        "database_url=\"postgres://db/shop\"",
        "workers=8",
        "cache_ttl_ms=120000",
        "upstream=\"http://prices:8080\"",
        "features=\"search|checkout|beta\"",
        "dry_run=true",
        "token_bytes=7",
        "token_is_expected=true",
        "admin_pin_set=true",
    ] {
        assert!(line.contains(expected), "{expected} not in {line}");
    }
}

#[test]
fn defaults_apply_and_an_option_stays_unset() {
    let (code, stdout, stderr) = run("config", REQUIRED);
    assert_eq!(code, Some(0), "{stderr}");
    let line = fields_line(&stdout);
    for expected in [
        "workers=4",
        "cache_ttl_ms=30000",
        "upstream=\"-\"",
        "features=\"\"",
        "dry_run=false",
        "admin_pin_set=false",
    ] {
        assert!(line.contains(expected), "{expected} not in {line}");
    }
}

#[test]
fn booleans_accept_true_false_1_0_yes_no_on_off_in_any_case() {
    for (text, value) in [
        ("true", true),
        ("FALSE", false),
        ("1", true),
        ("0", false),
        ("Yes", true),
        ("no", false),
        ("ON", true),
        ("off", false),
    ] {
        let (code, stdout, stderr) = run("config", &with_required(&[("SHOP_DRY_RUN", text)]));
        assert_eq!(code, Some(0), "{text}: {stderr}");
        let line = fields_line(&stdout);
        assert!(line.contains(&format!("dry_run={value}")), "{text}: {line}");
    }
}

#[test]
fn start_up_event_lists_each_source_with_secrets_redacted() {
    let dir = temp_dir("sources");
    let token = dir.join("token");
    std::fs::write(&token, "hunter2\n").unwrap();
    let token = token.to_str().unwrap();
    let (code, stdout, stderr) = run(
        "config",
        &[
            ("SHOP_DATABASE_URL", "postgres://db/shop"),
            ("SHOP_API_TOKEN_FILE", token),
            ("SHOP_ADMIN_PIN", "987654"),
            ("SHOP_WORKERS", "2"),
        ],
    );
    assert_eq!(code, Some(0), "{stderr}");
    let events: Vec<&str> = stdout
        .lines()
        .filter(|line| line.contains("configuration: "))
        .collect();
    assert_eq!(events.len(), 1, "{stdout}");
    assert!(events[0].contains(" INFO "), "{}", events[0]);
    let listed = events[0].split("configuration: ").nth(1).unwrap();
    assert_eq!(
        listed,
        format!(
            r#"SHOP_DATABASE_URL="postgres://db/shop" (env), SHOP_WORKERS="2" (env), SHOP_CACHE_TTL="30s" (default), SHOP_UPSTREAM unset, SHOP_API_TOKEN=[redacted] (file {token}), SHOP_ADMIN_PIN=[redacted] (env), FEATURES="" (default), SHOP_DRY_RUN="false" (default)"#
        )
    );
    // Read from the file, trailing newline trimmed.
    assert!(
        fields_line(&stdout).contains("token_is_expected=true"),
        "{stdout}"
    );
    for secret in ["hunter2", "987654"] {
        assert!(!stdout.contains(secret), "{secret} logged:\n{stdout}");
    }
    assert!(stderr.is_empty(), "{stderr}");
}

#[test]
fn start_up_event_follows_mains_first_step() {
    // Reported after `main`'s first poll, so that describing the configuration never delays
    // the bind of a server: here `main` logs its settings in that first step.
    let (code, stdout, stderr) = run("config", &with_required(&[]));
    assert_eq!(code, Some(0), "{stderr}");
    let position = |needle: &str| {
        stdout
            .lines()
            .position(|line| line.contains(needle))
            .unwrap_or_else(|| panic!("no {needle:?} in:\n{stdout}"))
    };
    assert!(
        position("settings: ") < position("configuration: "),
        "{stdout}"
    );
}

#[test]
fn json_start_up_event_is_one_object() {
    let (code, stdout, stderr) = run("config", &with_required(&[("LOG_FORMAT", "json")]));
    assert_eq!(code, Some(0), "{stderr}");
    let event = stdout
        .lines()
        .find(|line| line.contains("configuration: "))
        .expect("configuration event");
    let value: serde_json::Value = serde_json::from_str(event).expect(event);
    assert_eq!(value["level"], "INFO");
    assert!(!event.contains("hunter2"), "{event}");
}

#[test]
fn secrets_stay_out_of_error_lines() {
    let (code, stdout, stderr) = run(
        "config",
        &[
            ("SHOP_API_TOKEN", "hunter2"),
            ("SHOP_ADMIN_PIN", "12ab-hunter2"),
            ("SHOP_WORKERS", "many"),
        ],
    );
    assert_eq!(code, Some(78), "{stderr}");
    assert_eq!(stdout, "");
    assert!(!stderr.contains("hunter2"), "{stderr}");
    assert!(!stderr.contains("12ab"), "{stderr}");
    assert!(
        stderr
            .lines()
            .any(|line| line == "config: invalid SHOP_ADMIN_PIN (secret, value not shown): invalid digit found in string"),
        "{stderr}"
    );
}

#[test]
fn name_file_errors_name_the_variable_and_the_path() {
    let dir = temp_dir("file-errors");
    let token = dir.join("token");
    std::fs::write(&token, "hunter2").unwrap();
    let token = token.to_str().unwrap();
    let missing = dir.join("no-such-file");
    let missing = missing.to_str().unwrap();
    let (code, stdout, stderr) = run(
        "config",
        &[
            ("SHOP_API_TOKEN", "hunter2"),
            ("SHOP_API_TOKEN_FILE", token),
            ("SHOP_DATABASE_URL_FILE", missing),
        ],
    );
    assert_eq!(code, Some(78), "{stderr}");
    assert_eq!(stdout, "");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(
        lines,
        [
            format!(
                "config: cannot read SHOP_DATABASE_URL_FILE={missing:?}: No such file or directory (os error 2)"
            ),
            "config: both SHOP_API_TOKEN and SHOP_API_TOKEN_FILE are set: set only one".to_owned(),
        ],
        "{stderr}"
    );
    assert!(!stderr.contains("hunter2"), "{stderr}");
}

#[test]
fn a_misspelt_prefixed_variable_gets_a_warning_with_the_closest_name() {
    let (code, stdout, stderr) = run(
        "config",
        &with_required(&[
            ("SHOP_DATABSE_URL", "postgres://typo"),
            ("SHOP_WORKER", "3"),
        ]),
    );
    assert_eq!(code, Some(0), "{stderr}");
    let warnings: Vec<&str> = stdout
        .lines()
        .filter(|line| line.contains(" WARN "))
        .collect();
    assert_eq!(warnings.len(), 2, "{stdout}");
    assert!(
        warnings[0].ends_with(
            "SHOP_DATABSE_URL is set but is not a variable of this service: did you mean SHOP_DATABASE_URL?"
        ),
        "{}",
        warnings[0]
    );
    assert!(
        warnings[1].ends_with(
            "SHOP_WORKER is set but is not a variable of this service: did you mean SHOP_WORKERS?"
        ),
        "{}",
        warnings[1]
    );
}

#[test]
fn synchronous_main_gets_its_configuration_too() {
    let (code, stdout, stderr) = run("config_sync", &[("QUEUE_URL", "amqp://mq")]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        fields_line(&stdout).contains("queue_url=\"amqp://mq\" batch_size=100"),
        "{stdout}"
    );
    let (code, stdout, stderr) = run("config_sync", &[("BATCH_SIZE", "-1")]);
    assert_eq!(code, Some(78));
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        "config_sync: missing QUEUE_URL: Queue to consume\nconfig_sync: invalid BATCH_SIZE=\"-1\": invalid digit found in string\n"
    );
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("tf-config-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Settings of the table test.
#[derive(twelve_factor::Config)]
#[config(prefix = "SHOP_")]
#[allow(dead_code)]
struct TableSettings {
    /// Postgres connection string.
    database_url: String,
    /// Worker tasks | threads.
    #[config(default = "4")]
    workers: u16,
    /// Base URL of the upstream
    /// price service.
    upstream: Option<String>,
    #[config(secret)]
    api_token: twelve_factor::Secret<String>,
    #[config(env = "FEATURES", default = "")]
    features: Vec<String>,
}

#[test]
fn env_table_lists_the_runtime_variables_then_the_struct_fields() {
    let table = twelve_factor::env_table::<TableSettings>();
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(
        lines[..2],
        [
            "| variable | description | default | required | secret |",
            "|---|---|---|---|---|"
        ]
    );
    let builtins = twelve_factor::__private::BUILTIN_VARIABLES;
    for (line, variable) in lines[2..].iter().zip(builtins) {
        assert!(
            line.starts_with(&format!("| `{}` |", variable.name)),
            "{line}"
        );
    }
    assert_eq!(
        lines[2 + builtins.len()..],
        [
            "| `SHOP_DATABASE_URL` | Postgres connection string. | – | yes | no |",
            "| `SHOP_WORKERS` | Worker tasks \\| threads. | `4` | no | no |",
            "| `SHOP_UPSTREAM` | Base URL of the upstream price service. | – | no | no |",
            "| `SHOP_API_TOKEN` |  | – | yes | yes |",
            "| `FEATURES` |  | (empty) | no | no |",
        ]
    );
}

mod macro_builtin {
    // The macro's list of names a field may not take, read as data.
    include!("../../macros/src/derive_config/reserved.rs");
}

#[test]
fn the_derive_refuses_every_variable_the_runtime_reads() {
    let refused = |name: &str| {
        macro_builtin::RESERVED
            .iter()
            .any(|(reserved, _)| *reserved == name)
            || macro_builtin::RESERVED_PREFIXES
                .iter()
                .any(|(family, _)| name.starts_with(family))
    };
    for variable in twelve_factor::__private::BUILTIN_VARIABLES {
        assert!(
            refused(variable.name),
            "{} is not refused by the derive",
            variable.name
        );
    }
    for (name, _) in macro_builtin::RESERVED {
        let read = twelve_factor::__private::BUILTIN_VARIABLES
            .iter()
            .any(|variable| variable.name == *name);
        // HEALTH_PORT is reserved ahead of the probe listener that reads it.
        assert!(
            read || *name == "HEALTH_PORT",
            "{name} is refused but not read by the runtime"
        );
    }
}
