//! Durations: `SHUTDOWN_TIMEOUT=30s` and `SHUTDOWN_DELAY=500ms` in the environment, and
//! `shutdown_timeout = "30s"` in the attribute. One grammar for both: the macro crate compiles
//! this same file (`macros/src/duration.rs` is a link to it), so the attribute accepts exactly
//! what the variable accepts. Plain `std` only, for that reason.

use std::time::Duration;

/// The grammar, for error messages.
pub(crate) const EXPECTED: &str =
    "expected a whole number with an optional unit ms, s, m or h (e.g. 500ms, 30s, 2m; bare numbers are seconds)";

/// Parses an unsigned whole number with an optional unit `ms`, `s`, `m` or `h`; bare numbers are
/// seconds. `None` for anything else, including overflow.
pub(crate) fn parse(text: &str) -> Option<Duration> {
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (digits, unit) = text.split_at(split);
    if digits.is_empty() {
        return None;
    }
    let value: u64 = digits.parse().ok()?;
    let millis_per_unit: u64 = match unit {
        "ms" => 1,
        "" | "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        _ => return None,
    };
    value
        .checked_mul(millis_per_unit)
        .map(Duration::from_millis)
}

/// Formats a duration the way [`parse`] reads it, for log lines.
#[allow(dead_code)] // the macro crate, which shares this file, has no log lines
pub(crate) fn display(duration: Duration) -> String {
    let millis = duration.as_millis();
    if millis.is_multiple_of(1000) {
        format!("{}s", millis / 1000)
    } else {
        format!("{millis}ms")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_units_and_bare_seconds() {
        assert_eq!(parse("30s"), Some(Duration::from_secs(30)));
        assert_eq!(parse("500ms"), Some(Duration::from_millis(500)));
        assert_eq!(parse("2m"), Some(Duration::from_secs(120)));
        assert_eq!(parse("1h"), Some(Duration::from_secs(3600)));
        assert_eq!(parse("9"), Some(Duration::from_secs(9)));
        assert_eq!(parse("0"), Some(Duration::ZERO));
    }

    #[test]
    fn rejects_everything_else() {
        for bad in [
            "",
            "forever",
            "s",
            "1.5s",
            "-1",
            " 5s",
            "5 s",
            "5S",
            "3d",
            "18446744073709551615h",
        ] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn display_round_trips() {
        for text in ["9s", "500ms", "1500ms", "0s"] {
            assert_eq!(display(parse(text).unwrap()), text);
        }
    }
}
