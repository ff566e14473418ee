use super::*;
use std::collections::HashMap;

fn config(vars: &[(&'static str, &str)]) -> Result<RuntimeVars, ConfigErrors> {
    config_with(&Defaults::DEFAULT, vars)
}

fn config_with(
    settings: &Defaults,
    vars: &[(&'static str, &str)],
) -> Result<RuntimeVars, ConfigErrors> {
    let map: HashMap<&str, OsString> =
        vars.iter().map(|(k, v)| (*k, OsString::from(v))).collect();
    RuntimeVars::from_lookup(settings, 4242, &|name| map.get(name).cloned())
}

#[test]
fn json_needs_its_feature() {
    let result = config(&[("LOG_FORMAT", "json")]);
    if cfg!(feature = "json") {
        assert_eq!(result.unwrap().log_format, LogFormat::Json);
    } else {
        let line = result.unwrap_err().to_string();
        assert!(line.contains("invalid LOG_FORMAT=\"json\""), "{line}");
        assert!(
            line.contains("the `json` feature of twelvefactor is disabled"),
            "{line}"
        );
    }
}

#[test]
fn defaults() {
    let config = config(&[]).unwrap();
    assert_eq!(config.port, 8080);
    assert_eq!(config.host, IpAddr::V4(Ipv4Addr::UNSPECIFIED));
    assert_eq!(config.log_format, LogFormat::Text);
    assert_eq!(config.filter, "info");
    assert_eq!(config.shutdown_timeout, Duration::from_secs(9));
    assert_eq!(config.shutdown_delay, Duration::ZERO);
    assert!(config.notify.is_none());
    assert!(config.watchdog.is_none());
    assert!(config.activation.is_empty());
}

#[test]
fn attribute_defaults_yield_to_env() {
    let settings = Defaults {
        default_port: 3000,
        log: LogFormat::Json,
        shutdown_timeout: Duration::from_secs(20),
        listeners: &[],
    };
    let config = config_with(&settings, &[]).unwrap();
    assert_eq!(
        (config.port, config.log_format, config.shutdown_timeout),
        (3000, LogFormat::Json, Duration::from_secs(20))
    );
    let config = config_with(
        &settings,
        &[
            ("PORT", "4000"),
            ("LOG_FORMAT", "text"),
            ("SHUTDOWN_TIMEOUT", "500ms"),
        ],
    )
    .unwrap();
    assert_eq!(
        (config.port, config.log_format, config.shutdown_timeout),
        (4000, LogFormat::Text, Duration::from_millis(500))
    );
}

#[test]
fn bad_values_name_the_variable() {
    let cases: &[(&'static str, &str)] = &[
        ("PORT", "abc"),
        ("PORT", "70000"),
        ("PORT", "-1"),
        ("PORT", ""),
        ("PORT", "+80"),
        ("HOST", "nope"),
        ("HOST", "localhost"),
        ("LOG_FORMAT", "xml"),
        ("RUST_LOG", "info,[[["),
        ("RUST_LOG", "my_crate=loud"),
        ("SHUTDOWN_TIMEOUT", "forever"),
        ("SHUTDOWN_DELAY", "-5s"),
        ("NOTIFY_SOCKET", "relative/path"),
        ("WATCHDOG_USEC", "soon"),
        ("LISTEN_FDS", "two"),
        ("HEALTH_PORT", "http"),
        ("HEALTH_PORT", "8080"),
    ];
    for (name, value) in cases {
        let errors = config(&[(name, value), ("LISTEN_PID", "4242")])
            .expect_err(&format!("{name}={value:?} accepted"));
        assert_eq!(errors.len(), 1, "{errors}");
        let error = errors.iter().next().unwrap();
        assert_eq!(error.variable(), *name, "{name}={value:?}");
        let line = error.to_string();
        assert!(
            line.starts_with(&format!("invalid {name}={value:?}: ")),
            "{line}"
        );
        assert!(!line.contains('\n'), "{line}");
    }
}

/// Found by fuzzing (`fuzz/`, target `env`): a span field value compiled as a regular
/// expression into a DFA of 2^n states hung the start. Field values are literal text.
#[test]
fn rust_log_field_values_are_not_compiled_as_regular_expressions() {
    let started = std::time::Instant::now();
    let blowup = format!("[{{x=(a|b)*a{}}}]=info", "(a|b)".repeat(30));
    let read = config(&[("RUST_LOG", &blowup)]);
    if cfg!(feature = "env-filter") {
        assert_eq!(read.unwrap().filter, blowup);
    } else {
        // Without `env-filter` a field directive is refused, naming the feature.
        let line = read.unwrap_err().to_string();
        assert!(line.contains("env-filter"), "{line}");
    }
    assert!(
        started.elapsed() < std::time::Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
}

/// Found by fuzzing (`fuzz/`, target `env`): tracing-subscriber's directive parser panicked
/// on a space before a multi-byte character; the process must report or accept, not panic.
#[test]
fn rust_log_with_spaces_before_multibyte_characters_does_not_panic() {
    for text in [
        " é=info",
        "info, ü",
        "info,1\u{fffd},4, 1,,X, 3\u{fffd}=,,X, 3\u{fffd},4, 1,,X, 3",
        "\u{3000}𐪖=debug",
    ] {
        match config(&[("RUST_LOG", text)]) {
            Ok(vars) => assert!(!vars.filter.contains(", "), "{:?}", vars.filter),
            Err(errors) => assert_eq!(errors.iter().next().unwrap().variable(), "RUST_LOG"),
        }
    }
}

#[test]
fn log_off_ignores_rust_log_syntax() {
    let settings = Defaults {
        log: LogFormat::Off,
        ..Defaults::DEFAULT
    };
    assert_eq!(
        config_with(&settings, &[("RUST_LOG", "[[[")])
            .unwrap()
            .log_format,
        LogFormat::Off
    );
}

#[test]
fn empty_rust_log_means_info_and_no_color_needs_a_value() {
    let config = config(&[("RUST_LOG", ""), ("NO_COLOR", "")]).unwrap();
    assert_eq!(config.filter, "info");
    assert!(!config.no_color);
    assert!(super::tests::config(&[("NO_COLOR", "1")]).unwrap().no_color);
}

#[test]
fn journal_stream() {
    assert_eq!(parse_journal_stream("8:1234"), Some((8, 1234)));
    assert_eq!(parse_journal_stream("8"), None);
    assert_eq!(parse_journal_stream("a:b"), None);
}

#[test]
fn every_bad_variable_is_reported_in_reading_order() {
    let errors = config(&[
        ("PORT", "abc"),
        ("HOST", "nope"),
        ("LOG_FORMAT", "xml"),
        ("SHUTDOWN_TIMEOUT", "forever"),
        ("SHUTDOWN_DELAY", "-5s"),
        ("WATCHDOG_USEC", "soon"),
    ])
    .expect_err("six bad variables accepted");
    let names: Vec<&str> = errors.iter().map(ConfigError::variable).collect();
    assert_eq!(
        names,
        [
            "PORT",
            "HOST",
            "LOG_FORMAT",
            "SHUTDOWN_TIMEOUT",
            "SHUTDOWN_DELAY",
            "WATCHDOG_USEC"
        ]
    );
    assert_eq!(errors.to_string().lines().count(), 6, "{errors}");
}

#[test]
fn health_port_is_compared_with_a_valid_port_only() {
    let names = |vars: &[(&'static str, &str)]| -> Vec<String> {
        config(vars)
            .map(|_| Vec::new())
            .unwrap_or_else(|errors| errors.iter().map(|e| e.variable().to_owned()).collect())
    };
    // A bad PORT is not "8080", so HEALTH_PORT=8080 is not blamed for equalling it.
    assert_eq!(names(&[("PORT", "abc"), ("HEALTH_PORT", "8080")]), ["PORT"]);
    assert_eq!(
        names(&[("PORT", "9000"), ("HEALTH_PORT", "9000")]),
        ["HEALTH_PORT"]
    );
    // Unset PORT means the default, 8080.
    assert_eq!(names(&[("HEALTH_PORT", "8080")]), ["HEALTH_PORT"]);
    assert_eq!(
        config(&[("HEALTH_PORT", "9090")]).unwrap().health_port,
        Some(9090)
    );
    assert_eq!(config(&[]).unwrap().health_port, None);
}

const LISTENERS: &[ListenerDecl] = &[
    ListenerDecl {
        name: "admin",
        env: "ADMIN_PORT",
        default_port: 9091,
    },
    ListenerDecl {
        name: "grpc",
        env: "GRPC_PORT",
        default_port: 50051,
    },
];

fn with_listeners(vars: &[(&'static str, &str)]) -> Result<RuntimeVars, ConfigErrors> {
    let settings = Defaults {
        listeners: LISTENERS,
        ..Defaults::DEFAULT
    };
    config_with(&settings, vars)
}

#[test]
fn declared_listeners_read_their_port_or_default() {
    let ports = |vars| {
        let config = with_listeners(vars).unwrap();
        (config.listener("admin").map(|l| l.1), config.listener("grpc").map(|l| l.1))
    };
    assert_eq!(ports(&[]), (Some(9091), Some(50051)));
    assert_eq!(ports(&[("ADMIN_PORT", "7000")]), (Some(7000), Some(50051)));
    // Port 0 (any free port) may repeat.
    assert_eq!(
        ports(&[("PORT", "0"), ("ADMIN_PORT", "0"), ("GRPC_PORT", "0")]),
        (Some(0), Some(0))
    );
    assert_eq!(with_listeners(&[]).unwrap().listener("metrics"), None);
}

#[test]
fn declared_listeners_report_one_line_per_bad_variable() {
    let lines = |vars| -> Vec<String> {
        with_listeners(vars)
            .err()
            .map(|errors| errors.iter().map(ToString::to_string).collect())
            .unwrap_or_default()
    };
    assert_eq!(
        lines(&[("ADMIN_PORT", "abc")]),
        [r#"invalid ADMIN_PORT="abc": expected an integer from 0 to 65535"#]
    );
    assert_eq!(
        lines(&[("PORT", "9000"), ("ADMIN_PORT", "9000")]),
        [r#"invalid ADMIN_PORT="9000": must differ from PORT (9000): each listener needs a port of its own"#]
    );
    assert_eq!(
        lines(&[("HEALTH_PORT", "7000"), ("GRPC_PORT", "7000")]),
        [r#"invalid GRPC_PORT="7000": must differ from HEALTH_PORT (7000): each listener needs a port of its own"#]
    );
    // A default that collides is named too.
    let default = lines(&[("PORT", "9091")]);
    assert_eq!(default.len(), 1, "{default:?}");
    assert!(default[0].starts_with(r#"invalid ADMIN_PORT="9091": must differ from PORT"#));
    // Every bad one, in declaration order, beside the built-in ones.
    let all = lines(&[("HOST", "x"), ("ADMIN_PORT", "-1"), ("GRPC_PORT", "70000")]);
    let names: Vec<&str> = all.iter().map(|l| &l[8..l.find('=').unwrap()]).collect();
    assert_eq!(names, ["HOST", "ADMIN_PORT", "GRPC_PORT"]);
}

#[test]
fn non_utf8_values_are_errors_alongside_the_rest() {
    use std::os::unix::ffi::OsStringExt;
    let map: HashMap<&str, OsString> = [
        ("HOST", OsString::from_vec(vec![0xff, b'x'])),
        ("PORT", OsString::from("-3")),
    ]
    .into_iter()
    .collect();
    let errors = RuntimeVars::from_lookup(&Defaults::DEFAULT, 1, &|name| map.get(name).cloned())
        .expect_err("accepted");
    let names: Vec<&str> = errors.iter().map(ConfigError::variable).collect();
    assert_eq!(names, ["HOST", "PORT"]);
}
