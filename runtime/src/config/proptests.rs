//! Property tests of every parser of the environment: the runtime's own variables (read through
//! [`RuntimeVars::from_lookup`], as the process reads them), the field parsers the derive uses,
//! `NAME_FILE` contents, and the error lines they produce. Each property runs [`CASES`] cases,
//! so the whole suite stays within seconds.

use crate::config::duration;
use crate::config::error::ConfigError;
use crate::config::parse;
use crate::config::reader::{Env, Reader};
use crate::config::runtime_vars::{Defaults, LogFormat, RuntimeVars, READ_ORDER};
use crate::config::variable::Variable;
use crate::platform::activation;
use crate::platform::notify::{self, NotifyTarget, MAX_SOCKET_PATH};
use proptest::prelude::*;
use std::collections::HashMap;
use std::ffi::OsString;
use std::net::IpAddr;
use std::os::unix::ffi::OsStringExt;
use std::time::Duration;

/// Cases per property.
const CASES: u32 = 256;

/// [`CASES`], or `PROPTEST_CASES` for a deeper run.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(CASES)
}
/// The pid the reading runs as.
const PID: u32 = 4242;


fn read(vars: &[(&str, OsString)]) -> Result<RuntimeVars, crate::ConfigErrors> {
    let map: HashMap<&str, OsString> = vars.iter().cloned().collect();
    RuntimeVars::from_lookup(&Defaults::DEFAULT, PID, &|name| map.get(name).cloned())
}

fn read_one(name: &str, value: &str) -> Result<RuntimeVars, crate::ConfigErrors> {
    read(&[(name, OsString::from(value))])
}

/// An error line as the process prints it: one line, printable, short, naming `variable`.
fn assert_line(error: &ConfigError, variable: &str) -> Result<(), TestCaseError> {
    let line = error.to_string();
    prop_assert_eq!(error.variable(), variable);
    prop_assert!(line.contains(variable), "{}", line);
    prop_assert!(!line.chars().any(char::is_control), "{:?}", line);
    prop_assert!(line.len() <= 2048, "{} bytes: {}", line.len(), line);
    Ok(())
}

/// `value` of `name` is refused with exactly one error line naming `name`.
fn assert_refused(name: &str, value: &str) -> Result<(), TestCaseError> {
    let errors = read_one(name, value).err().unwrap_or_default();
    prop_assert_eq!(errors.len(), 1, "{}={:?} accepted", name, value);
    assert_line(errors.iter().next().unwrap(), name)
}

/// Text that looks like a number but is not one a port may be: signs, spaces, full-width or
/// other Unicode digits, decimals, exponents.
fn not_plain_digits() -> impl Strategy<Value = String> {
    (
        "[0-9]{1,5}",
        prop::sample::select(vec![
            "+", "-", " ", "\t", "\n", "０", "٣", "½", ".0", "e3", "_", "0x",
        ]),
        any::<bool>(),
    )
        .prop_map(|(digits, noise, before)| {
            if before {
                format!("{noise}{digits}")
            } else {
                format!("{digits}{noise}")
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    /// Any bytes in any of the variables: no panic, and every error is one printable line that
    /// names one of the variables.
    #[test]
    fn any_environment_reads_or_is_refused_line_by_line(
        vars in prop::collection::vec(
            (prop::sample::select(READ_ORDER.to_vec()), prop::collection::vec(any::<u8>(), 0..80)),
            0..8,
        )
    ) {
        let vars: Vec<(&str, OsString)> = vars
            .into_iter()
            .map(|(name, bytes)| (name, OsString::from_vec(bytes)))
            .collect();
        if let Err(errors) = read(&vars) {
            for error in &errors {
                prop_assert!(READ_ORDER.contains(&error.variable()), "{}", error);
                assert_line(error, error.variable())?;
            }
        }
    }

    /// Any text in any variable, including long values: the same.
    #[test]
    fn any_text_value_is_read_or_refused_in_one_short_line(
        name in prop::sample::select(READ_ORDER.to_vec()),
        value in ".{0,40}",
        repeat in 1_usize..500,
    ) {
        let value = value.repeat(repeat);
        if let Err(errors) = read_one(name, &value) {
            for error in &errors {
                assert_line(error, error.variable())?;
            }
        }
    }

    #[test]
    fn every_port_round_trips(port: u16) {
        let vars = read_one("PORT", &port.to_string()).unwrap();
        prop_assert_eq!(vars.port, port);
    }

    #[test]
    fn ports_with_signs_spaces_or_other_digits_are_refused(text in not_plain_digits()) {
        assert_refused("PORT", &text)?;
        assert_refused("HEALTH_PORT", &text)?;
    }

    #[test]
    fn ports_out_of_range_are_refused(port in 65_536_u64..u64::MAX) {
        assert_refused("PORT", &port.to_string())?;
    }

    #[test]
    fn every_health_port_other_than_port_round_trips(port: u16, health in 1_u16..) {
        let vars = read(&[
            ("PORT", port.to_string().into()),
            ("HEALTH_PORT", health.to_string().into()),
        ]);
        if health == port {
            let errors = vars.unwrap_err();
            assert_line(errors.iter().next().unwrap(), "HEALTH_PORT")?;
        } else {
            prop_assert_eq!(vars.unwrap().health_port, Some(health));
        }
    }

    #[test]
    fn every_ip_address_round_trips(host: IpAddr) {
        prop_assert_eq!(read_one("HOST", &host.to_string()).unwrap().host, host);
    }

    #[test]
    fn log_format_is_text_or_json_and_nothing_else(text in "\\PC{0,12}") {
        match text.as_str() {
            "text" => prop_assert_eq!(read_one("LOG_FORMAT", &text).unwrap().log_format, LogFormat::Text),
            "json" => prop_assert_eq!(read_one("LOG_FORMAT", &text).unwrap().log_format, LogFormat::Json),
            _ => assert_refused("LOG_FORMAT", &text)?,
        }
    }

    /// Levels and `target=level` directives are accepted as given; anything else is either
    /// accepted or refused with one line (whichever filter grammar the build uses).
    #[test]
    fn rust_log_directives_are_accepted_and_anything_else_never_panics(
        level in prop::sample::select(vec!["error", "warn", "info", "debug", "trace", "off", "INFO"]),
        target in "[a-z][a-z0-9_]{0,10}(::[a-z][a-z0-9_]{0,6}){0,2}",
        noise in "\\PC{0,30}",
    ) {
        let directive = format!("{level},{target}={level}");
        prop_assert_eq!(read_one("RUST_LOG", &directive).unwrap().filter, directive);
        if let Err(errors) = read_one("RUST_LOG", &noise) {
            assert_line(errors.iter().next().unwrap(), "RUST_LOG")?;
        }
    }

    #[test]
    fn durations_round_trip_through_their_display(millis in 0_u64..u64::MAX / 1000) {
        let duration = Duration::from_millis(millis);
        let text = duration::display(duration);
        prop_assert_eq!(duration::parse(&text), Some(duration));
        let vars = read_one("SHUTDOWN_TIMEOUT", &text).unwrap();
        prop_assert_eq!(vars.shutdown_timeout, duration);
    }

    #[test]
    fn durations_that_overflow_are_refused(
        value in 1_u64..,
        unit in prop::sample::select(vec![("ms", 1_u64), ("s", 1_000), ("m", 60_000), ("h", 3_600_000)]),
    ) {
        let text = format!("{value}{}", unit.0);
        match value.checked_mul(unit.1) {
            Some(millis) => prop_assert_eq!(duration::parse(&text), Some(Duration::from_millis(millis))),
            None => {
                assert_refused("SHUTDOWN_TIMEOUT", &text)?;
                assert_refused("SHUTDOWN_DELAY", &text)?;
            }
        }
    }

    #[test]
    fn listen_fds_up_to_1024_for_this_process_are_described(count in 0_u16..=1024, other_pid: u32) {
        let ours = activation::parse(Some(&PID.to_string()), Some(&count.to_string()), None, PID).unwrap();
        prop_assert_eq!(ours.is_empty(), count == 0);
        let theirs = activation::parse(Some(&other_pid.to_string()), Some(&count.to_string()), None, PID).unwrap();
        prop_assert_eq!(theirs.is_empty(), other_pid != PID || count == 0);
    }

    #[test]
    fn listen_fds_huge_negative_or_signed_are_refused(
        text in prop_oneof![
            (1025_u64..).prop_map(|n| n.to_string()),
            (i64::MIN..0).prop_map(|n| n.to_string()),
            not_plain_digits(),
        ]
    ) {
        let errors = read(&[("LISTEN_PID", PID.to_string().into()), ("LISTEN_FDS", text.into())]).unwrap_err();
        assert_line(errors.iter().next().unwrap(), "LISTEN_FDS")?;
    }

    #[test]
    fn listen_fdnames_must_name_every_socket(count in 1_u16..=1024, names in 0_usize..2000) {
        let text = vec!["web"; names].join(":");
        let parsed = activation::parse(Some(&PID.to_string()), Some(&count.to_string()), Some(&text), PID);
        // An empty value is one (empty) name.
        prop_assert_eq!(parsed.is_ok(), names.max(1) == usize::from(count));
    }

    #[test]
    fn notify_socket_paths_and_abstract_names_up_to_sun_path(name in "[a-zA-Z0-9_./-]{0,200}") {
        let path = format!("/{name}");
        match notify::parse_target(&path) {
            Ok(NotifyTarget::Path(parsed)) => {
                prop_assert!(path.len() <= MAX_SOCKET_PATH);
                prop_assert_eq!(parsed.to_str(), Some(path.as_str()));
            }
            Ok(other) => prop_assert!(false, "{:?}", other),
            Err(_) => {
                prop_assert!(path.len() > MAX_SOCKET_PATH);
                assert_refused("NOTIFY_SOCKET", &path)?;
            }
        }
        let abstract_name = format!("@{name}");
        match notify::parse_target(&abstract_name) {
            Ok(NotifyTarget::Abstract(parsed)) => prop_assert_eq!(parsed, name.as_bytes()),
            Ok(other) => prop_assert!(false, "{:?}", other),
            Err(_) => prop_assert!(name.len() > MAX_SOCKET_PATH),
        }
        let relative = name.trim_start_matches(['/', '@']);
        prop_assert!(notify::parse_target(relative).is_err());
    }

    #[test]
    fn watchdog_is_any_positive_interval_for_this_process(usec in 1_u64.., pid: u32) {
        let mine = notify::parse_watchdog(Some(&usec.to_string()), Some(&PID.to_string()), PID).unwrap();
        prop_assert_eq!(mine, Some(Duration::from_micros(usec)));
        let theirs = notify::parse_watchdog(Some(&usec.to_string()), Some(&pid.to_string()), PID).unwrap();
        prop_assert_eq!(theirs.is_some(), pid == PID);
    }

    #[test]
    fn watchdog_values_with_signs_or_other_digits_are_refused(text in not_plain_digits()) {
        assert_refused("WATCHDOG_USEC", &text)?;
    }

    #[test]
    fn booleans_in_any_case(word in prop::sample::select(vec!["true", "false", "1", "0", "yes", "no", "on", "off"]), upper: Vec<bool>) {
        let mixed: String = word
            .chars()
            .zip(upper.into_iter().chain(std::iter::repeat(false)))
            .map(|(c, up)| if up { c.to_ascii_uppercase() } else { c })
            .collect();
        prop_assert_eq!(parse::boolean(&mixed), Ok(matches!(word, "true" | "1" | "yes" | "on")));
    }

    #[test]
    fn lists_round_trip_with_any_spacing(items: Vec<u16>, spaces in prop::collection::vec(" {0,2}", 0..4)) {
        let pad = spaces.concat();
        let text = items.iter().map(|n| format!("{pad}{n}{pad}")).collect::<Vec<_>>().join(",");
        prop_assert_eq!(parse::list(&text, parse::from_str::<u16>), Ok(items));
    }

    /// Every field parser on any text: no panic, and its error makes one short line (secret or
    /// not) that never shows a secret's value.
    #[test]
    fn field_parsers_never_panic_and_errors_stay_one_line(text in "\\PC{0,60}|.{0,60}", repeat in 1_usize..2000) {
        let text = text.repeat(repeat);
        let errors = [
            parse::boolean(&text).err(),
            parse::duration(&text).err(),
            parse::from_str::<u32>(&text).err(),
            parse::from_str::<std::net::SocketAddr>(&text).err(),
            parse::list(&text, parse::from_str::<i8>).err(),
            parse::list(&text, parse::duration).err(),
            parse::secret(&text, parse::from_str::<u8>).err(),
        ];
        for why in errors.into_iter().flatten() {
            assert_line(&ConfigError::new("FIELD", text.as_str(), why.as_str()), "FIELD")?;
            let secret = ConfigError::secret("FIELD", &text, format!("cannot use {text}"));
            assert_line(&secret, "FIELD")?;
            let skeleton = "invalid FIELD (secret, value not shown): cannot use ***";
            if !text.trim().is_empty() && !skeleton.contains(text.trim()) {
                prop_assert!(!secret.to_string().contains(text.trim()));
            }
        }
    }

    /// `NAME_FILE` with any contents: valid UTF-8 is the value (one trailing newline removed),
    /// anything else one error line naming the variable; `Option` and `Secret` fields too.
    #[test]
    fn name_file_contents_are_the_value_or_one_error_line(bytes in prop::collection::vec(any::<u8>(), 0..300), newline: bool) {
        const FIELD: Variable = Variable {
            name: "APP_TOKEN",
            field: "token",
            doc: "",
            default: None,
            required: false,
            secret: true,
        };
        let dir = std::env::temp_dir().join(format!("tf-proptest-file-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{:x}", bytes.iter().fold(0_u64, |h, &b| h.wrapping_mul(31).wrapping_add(u64::from(b)))));
        let mut contents = bytes.clone();
        if newline {
            contents.extend_from_slice(b"\r\n");
        }
        std::fs::write(&path, &contents).unwrap();
        let env = Env::Map(HashMap::from([("APP_TOKEN_FILE".to_owned(), path.clone().into_os_string())]));
        let mut reader = Reader::new(&env);
        let value = reader.optional(&FIELD, |text| parse::secret(text, parse::from_str::<String>));
        let (errors, _) = reader.finish();
        std::fs::remove_file(&path).unwrap();
        let _ = std::fs::remove_dir(&dir);
        match String::from_utf8(bytes) {
            Ok(text) if !text.ends_with('\n') || newline => {
                let value = value.flatten().map(|secret| secret.expose().clone());
                prop_assert_eq!(value, Some(text));
            }
            Ok(_) => prop_assert!(value.is_some()),
            Err(_) => {
                prop_assert!(value.is_none());
                assert_line(errors.iter().next().unwrap(), "APP_TOKEN")?;
            }
        }
    }
}
