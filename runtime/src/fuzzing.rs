//! Entry points for the fuzz targets under `fuzz/`, compiled only under `--cfg fuzzing` (which
//! `cargo fuzz` sets): the parsers of hostile input, each checked for the properties the
//! process relies on. A failed check panics, which the fuzzer reports as a crash.

use crate::config::error::ConfigError;
use crate::config::parse;
use crate::config::runtime_vars::{Defaults, RuntimeVars, READ_ORDER};
use crate::listen::http::head_end;
use crate::listen::probes::respond;
use crate::listen::readiness::Readiness;
use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;

/// The probe listener's request handling on `bytes` as they arrived: where the head ends, the
/// answer to it, and the answer's wire form.
pub fn http_head(bytes: &[u8]) {
    let head = match head_end(bytes) {
        Some(end) => &bytes[..end],
        None => bytes,
    };
    let response = respond(head, Readiness::ready);
    let wire = response.to_bytes();
    let text = String::from_utf8(wire).expect("answers are UTF-8");
    let (headers, body) = text.split_once("\r\n\r\n").expect("a blank line ends the head");
    assert!(headers.starts_with("HTTP/1.1 "), "{headers}");
    assert!(
        headers.split("\r\n").all(|line| !line.contains('\n')),
        "a bare LF in the answer's head"
    );
    assert!(body.len() <= response.body.len());
    assert!(matches!(
        response.status,
        200 | 400 | 404 | 405 | 503 | 505
    ));
}


/// The runtime's variables set from `bytes` (values separated by NUL, bytes that need not be
/// UTF-8; a value `-` leaves its variable unset), then the field parsers on the first value: every error is one printable line that
/// names its variable.
pub fn env(bytes: &[u8]) {
    let mut values = bytes.split(|&b| b == 0);
    let vars: Vec<(&str, OsString)> = READ_ORDER
        .iter()
        .zip(values.by_ref())
        .filter(|(_, value)| *value != b"-")
        .map(|(name, value)| (*name, OsString::from_vec(value.to_vec())))
        .collect();
    let lookup = |name: &'static str| {
        vars.iter()
            .find(|(n, _)| *n == name)
            .map(|(_, value)| value.clone())
    };
    if let Err(errors) = RuntimeVars::from_lookup(&Defaults::DEFAULT, 4242, &lookup) {
        for error in &errors {
            assert!(READ_ORDER.contains(&error.variable()), "{error}");
            check_line(&error.to_string());
        }
    }
    let text = String::from_utf8_lossy(bytes.split(|&b| b == 0).next().unwrap_or_default());
    field_parsers(&text);
}

/// Every field parser the derive uses, on `text`; each error line checked.
fn field_parsers(text: &str) {
    let errors = [
        parse::boolean(text).err(),
        parse::duration(text).err(),
        parse::from_str::<u16>(text).err(),
        parse::from_str::<std::net::SocketAddr>(text).err(),
        parse::list(text, parse::from_str::<u64>).err(),
        parse::list(text, parse::duration).err(),
        parse::secret(text, parse::boolean).err(),
    ];
    for why in errors.into_iter().flatten() {
        check_line(&ConfigError::new("FIELD", text, why).to_string());
        let secret = ConfigError::secret("FIELD", text, format!("bad {text}")).to_string();
        check_line(&secret);
    }
}

/// An error line: one line, no control characters, bounded whatever the value's length.
fn check_line(line: &str) {
    assert!(!line.chars().any(char::is_control), "{line:?}");
    assert!(line.len() <= 1024, "{} bytes", line.len());
}
