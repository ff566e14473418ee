//! Compile-time parsing of `shutdown_timeout = "10s"`; the grammar matches the runtime's
//! `SHUTDOWN_TIMEOUT` parser: an unsigned integer with an optional unit `ms`, `s`, `m` or `h`
//! (bare numbers are seconds).

use std::time::Duration;

/// Parses a duration such as `500ms`, `10s`, `2m`, `1h` or `30`.
pub(crate) fn parse(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (digits, unit) = text.split_at(split);
    let expected = "expected a whole number with an optional unit: `500ms`, `10s`, `2m`, `1h`";
    if digits.is_empty() {
        return Err(expected.to_owned());
    }
    let value: u64 = digits.parse().map_err(|_| expected.to_owned())?;
    let millis_per_unit = match unit {
        "ms" => 1,
        "" | "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        _ => return Err(expected.to_owned()),
    };
    value
        .checked_mul(millis_per_unit)
        .map(Duration::from_millis)
        .ok_or_else(|| "duration is too large".to_owned())
}

#[cfg(test)]
mod tests {
    use super::parse;
    use std::time::Duration;

    #[test]
    fn units() {
        assert_eq!(parse("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse("10s"), Ok(Duration::from_secs(10)));
        assert_eq!(parse("7"), Ok(Duration::from_secs(7)));
        assert_eq!(parse("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse("1h"), Ok(Duration::from_secs(3600)));
    }

    #[test]
    fn rejects() {
        for bad in [
            "",
            "s",
            "forever",
            "10 s",
            "1.5s",
            "-1s",
            "10d",
            "99999999999999999999h",
        ] {
            assert!(parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }
}
