//! Reading systemd unit files: `[Section]` headers, `Key=Value` lines, comments, continuation
//! lines; and the pieces of values the check needs (time spans, `Environment=` assignments).

use std::time::Duration;

/// One `Key=Value` line of a unit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The section it is in, without brackets.
    pub section: String,
    /// The key.
    pub key: String,
    /// The value, continuation lines joined with a space.
    pub value: String,
}

/// The entries of a unit file, in order.
pub fn parse(text: &str) -> Vec<Entry> {
    let mut entries = Vec::new();
    let mut section = String::new();
    let mut pending: Option<String> = None;
    for raw in text.lines() {
        let line = raw.trim();
        let logical = match pending.take() {
            Some(mut start) => {
                start.push(' ');
                start.push_str(line);
                start
            }
            None => {
                if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
                    continue;
                }
                line.to_owned()
            }
        };
        if let Some(stripped) = logical.strip_suffix('\\') {
            pending = Some(stripped.trim_end().to_owned());
            continue;
        }
        if logical.starts_with('[') && logical.ends_with(']') {
            section = logical[1..logical.len() - 1].to_owned();
        } else if let Some((key, value)) = logical.split_once('=') {
            entries.push(Entry {
                section: section.clone(),
                key: key.trim().to_owned(),
                value: value.trim().to_owned(),
            });
        }
    }
    entries
}

/// A systemd time span (`90`, `30s`, `1min 30s`, `2m`, `500ms`, `1h`); `None` for
/// `infinity` and anything unreadable.
pub fn time_span(text: &str) -> Option<Duration> {
    let text = text.trim();
    if text.is_empty() || text == "infinity" {
        return None;
    }
    let mut total = Duration::ZERO;
    let mut rest = text;
    while !rest.is_empty() {
        rest = rest.trim_start();
        let digits = rest.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(rest.len());
        let number: f64 = rest[..digits].parse().ok()?;
        rest = rest[digits..].trim_start();
        let unit_end = rest.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(rest.len());
        let seconds_per_unit = match &rest[..unit_end] {
            "" | "s" | "sec" | "second" | "seconds" => 1.0,
            "ms" | "msec" => 0.001,
            "us" | "usec" => 0.000_001,
            "m" | "min" | "minute" | "minutes" => 60.0,
            "h" | "hr" | "hour" | "hours" => 3600.0,
            "d" | "day" | "days" => 86_400.0,
            _ => return None,
        };
        total += Duration::try_from_secs_f64(number * seconds_per_unit).ok()?;
        rest = &rest[unit_end..];
    }
    Some(total)
}

/// The `NAME=value` assignments of one `Environment=` value: words split on spaces, double or
/// single quotes grouping, backslash escapes inside double quotes.
pub fn assignments(value: &str) -> Vec<(String, String)> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' | '\'' => {
                in_word = true;
                while let Some(inner) = chars.next() {
                    if inner == c {
                        break;
                    }
                    if inner == '\\' && c == '"' {
                        if let Some(escaped) = chars.next() {
                            word.push(match escaped {
                                'n' => '\n',
                                't' => '\t',
                                other => other,
                            });
                        }
                    } else {
                        word.push(inner);
                    }
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    words
        .into_iter()
        .filter_map(|word| {
            word.split_once('=')
                .map(|(name, value)| (name.to_owned(), value.to_owned()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_keys_comments_continuations() {
        let entries = parse(
            "# c\n[Unit]\nDescription=x\n\n[Service]\n; c\nExecStart=/bin/svc \\\n  web\nType = notify\n",
        );
        let pairs: Vec<(&str, &str, &str)> = entries
            .iter()
            .map(|e| (e.section.as_str(), e.key.as_str(), e.value.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("Unit", "Description", "x"),
                ("Service", "ExecStart", "/bin/svc web"),
                ("Service", "Type", "notify"),
            ]
        );
    }

    #[test]
    fn time_spans() {
        assert_eq!(time_span("90"), Some(Duration::from_secs(90)));
        assert_eq!(time_span("1min 30s"), Some(Duration::from_secs(90)));
        assert_eq!(time_span("2m"), Some(Duration::from_secs(120)));
        assert_eq!(time_span("500ms"), Some(Duration::from_millis(500)));
        assert_eq!(time_span("infinity"), None);
        assert_eq!(time_span("soon"), None);
    }

    #[test]
    fn environment_assignments() {
        assert_eq!(
            assignments(r#"A=1 "B=two words" 'C=x"y' "D=a\"b" junk"#),
            [
                ("A".into(), "1".into()),
                ("B".into(), "two words".into()),
                ("C".into(), "x\"y".into()),
                ("D".into(), "a\"b".into()),
            ]
        );
    }
}
