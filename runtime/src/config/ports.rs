//! The port variables: `PORT`, `HEALTH_PORT` and each declared listener's `{NAME}_PORT`, each a
//! port, and no two listeners on one port (port 0, any free port, may repeat).

use crate::config::error::ConfigError;

pub(crate) fn parse_port(name: &'static str, text: &str) -> Result<u16, ConfigError> {
    text.parse::<u16>()
        .ok()
        .filter(|_| text.bytes().all(|b| b.is_ascii_digit()))
        .ok_or_else(|| ConfigError::new(name, text, "expected an integer from 0 to 65535"))
}

/// `port` of variable `name`, unless a listener read before it has it already (port 0, any
/// free port, may repeat).
///
/// ```text
/// ADMIN_PORT=8080 with PORT=8080 → error: must differ from PORT (8080)
/// ```
pub(crate) fn distinct(
    name: &'static str,
    text: &str,
    port: u16,
    taken: &[(&'static str, u16)],
    note: &str,
) -> Result<u16, ConfigError> {
    match taken.iter().find(|(_, other)| port != 0 && *other == port) {
        None => Ok(port),
        Some((other, _)) => Err(ConfigError::new(
            name,
            text,
            format!("must differ from {other} ({port}): each listener needs a port of its own{note}"),
        )),
    }
}

/// What `HEALTH_PORT` must be, for the configuration error.
const HEALTH_PORT_EXPECTED: &str = "expected an integer from 1 to 65535, other than PORT";

/// Parses `HEALTH_PORT` against the main `port` (`None` when `PORT` itself is invalid: it is
/// reported on its own line, and not compared).
///
/// ```text
/// HEALTH_PORT=9090 with PORT=8080 → 9090
/// HEALTH_PORT=8080 with PORT=8080 → error: the probes and the service cannot share a port
/// ```
pub(crate) fn parse_health_port(text: &str, port: Option<u16>) -> Result<u16, ConfigError> {
    let health = text
        .parse::<u16>()
        .ok()
        .filter(|&health| health != 0 && text.bytes().all(|b| b.is_ascii_digit()))
        .ok_or_else(|| ConfigError::new("HEALTH_PORT", text, HEALTH_PORT_EXPECTED))?;
    if let Some(port) = port.filter(|&port| port == health) {
        return Err(ConfigError::new(
            "HEALTH_PORT",
            text,
            format!("must differ from PORT ({port}): the probes need a port of their own"),
        ));
    }
    Ok(health)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports() {
        assert_eq!(parse_health_port("9090", Some(8080)).unwrap(), 9090);
        for bad in ["", "abc", "0", "70000", "-1", "+9090", " 9090", "9090 "] {
            let error = parse_health_port(bad, Some(8080)).unwrap_err();
            assert_eq!(error.variable(), "HEALTH_PORT");
            assert!(error
                .to_string()
                .starts_with(&format!("invalid HEALTH_PORT={bad:?}: ")));
        }
        let same = parse_health_port("8080", Some(8080)).unwrap_err().to_string();
        assert_eq!(
            same,
            r#"invalid HEALTH_PORT="8080": must differ from PORT (8080): the probes need a port of their own"#
        );
        assert!(!same.contains('\n'));
    }
}
