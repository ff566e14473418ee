//! [`ConfigError`] and [`ConfigErrors`]: what a bad environment is reported as. Each error is
//! one line on stderr; a process with any of them exits 78 before starting anything.
//!
//! A line stays short and printable whatever the environment holds: values and paths are
//! quoted with control characters (and bytes that are not UTF-8) escaped, and cut after
//! [`SHOWN_CHARS`] characters with their length noted; a parser's message is kept to one line
//! of at most [`WHY_CHARS`] characters.

use std::borrow::Cow;
use std::ffi::OsStr;
use std::fmt;
use std::fmt::Write as _;
use std::os::unix::ffi::OsStrExt;

/// How many characters of a value or path an error line shows.
pub(crate) const SHOWN_CHARS: usize = 64;
/// How many characters of a parser's message an error line shows.
pub(crate) const WHY_CHARS: usize = 240;

/// A configuration variable the process cannot run with: missing, invalid, or given twice.
///
/// Its `Display` is the one line printed on stderr before exiting with code 78:
///
/// ```
/// # use twelvefactor_runtime::ConfigError;
/// let error = ConfigError::new("PORT", "abc", "expected an integer from 0 to 65535");
/// assert_eq!(
///     error.to_string(),
///     r#"invalid PORT="abc": expected an integer from 0 to 65535"#
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    variable: Cow<'static, str>,
    problem: Problem,
}

/// The OS glue's parsers (systemd's variables) report a bad value; it is a configuration error
/// like any other.
impl From<crate::platform::BadValue> for ConfigError {
    fn from(bad: crate::platform::BadValue) -> Self {
        ConfigError::new(bad.variable, bad.value, bad.why)
    }
}

/// `value` as an error line shows it: quoted, escaped, and cut after [`SHOWN_CHARS`]
/// characters with its length in bytes noted.
pub(crate) fn quoted(value: &str) -> String {
    quoted_bytes(value.as_bytes())
}

/// Like [`quoted`], for bytes that need not be UTF-8: the invalid ones are shown as `\xNN`.
pub(crate) fn quoted_bytes(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().min(SHOWN_CHARS) + 2);
    out.push('"');
    let mut shown = 0;
    let mut cut = false;
    'chunks: for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            if shown == SHOWN_CHARS {
                cut = true;
                break 'chunks;
            }
            push_escaped(&mut out, c);
            shown += 1;
        }
        for byte in chunk.invalid() {
            if shown == SHOWN_CHARS {
                cut = true;
                break 'chunks;
            }
            let _ = write!(out, "\\x{byte:02x}");
            shown += 1;
        }
    }
    if cut {
        let _ = write!(out, "…\" ({} bytes)", bytes.len());
    } else {
        out.push('"');
    }
    out
}

/// One character as Rust's `{:?}` of a string shows it: control characters, `"` and `\`
/// escaped, everything else as is.
fn push_escaped(out: &mut String, c: char) {
    if c == '\'' || !(c.is_control() || c == '"' || c == '\\') {
        out.push(c);
    } else {
        out.extend(c.escape_debug());
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Problem {
    /// Set, but not accepted; `value` (already [`quoted`]) is `None` for a secret.
    Invalid { value: Option<String>, why: String },
    /// Required, and neither `NAME` nor `NAME_FILE` is set.
    Missing { doc: String },
    /// Both `NAME` and `NAME_FILE` are set.
    BothSet,
    /// `NAME_FILE` names a file that cannot be read; `path` is already [`quoted`].
    Unreadable { path: String, why: String },
}

impl ConfigError {
    /// A bad `value` of `variable`, and what would have been accepted.
    ///
    /// ```
    /// # use twelvefactor_runtime::ConfigError;
    /// let error = ConfigError::new("HOST", "nope", "expected an IP address");
    /// assert_eq!(error.variable(), "HOST");
    /// ```
    pub fn new(
        variable: impl Into<Cow<'static, str>>,
        value: impl Into<String>,
        expected: impl Into<String>,
    ) -> Self {
        ConfigError {
            variable: variable.into(),
            problem: Problem::Invalid {
                value: Some(quoted(&value.into())),
                why: expected.into(),
            },
        }
    }

    /// A value of `variable` that is not UTF-8: its bytes are shown escaped.
    pub(crate) fn not_utf8(variable: impl Into<Cow<'static, str>>, value: &OsStr) -> Self {
        ConfigError {
            variable: variable.into(),
            problem: Problem::Invalid {
                value: Some(quoted_bytes(value.as_bytes())),
                why: "not valid UTF-8".to_owned(),
            },
        }
    }

    /// A bad value of a secret `variable`: the line names the variable, never the value. Any
    /// copy of `value` inside `why` (some parsers echo their input) is masked as well.
    ///
    /// ```
    /// # use twelvefactor_runtime::ConfigError;
    /// let error = ConfigError::secret("API_TOKEN", "hunter2", "bad token hunter2");
    /// assert_eq!(
    ///     error.to_string(),
    ///     "invalid API_TOKEN (secret, value not shown): bad token ***"
    /// );
    /// ```
    pub fn secret(
        variable: impl Into<Cow<'static, str>>,
        value: &str,
        why: impl Into<String>,
    ) -> Self {
        let why = why.into();
        let why = if value.is_empty() {
            why
        } else {
            why.replace(value, "***")
        };
        ConfigError {
            variable: variable.into(),
            problem: Problem::Invalid { value: None, why },
        }
    }

    /// A required `variable` that is not set; `doc` says what it is for.
    ///
    /// ```
    /// # use twelvefactor_runtime::ConfigError;
    /// let error = ConfigError::missing("SHOP_DATABASE_URL", "Postgres connection string.");
    /// assert_eq!(
    ///     error.to_string(),
    ///     "missing SHOP_DATABASE_URL: Postgres connection string."
    /// );
    /// ```
    pub fn missing(variable: impl Into<Cow<'static, str>>, doc: impl Into<String>) -> Self {
        ConfigError {
            variable: variable.into(),
            problem: Problem::Missing { doc: doc.into() },
        }
    }

    /// Both `variable` and `variable_FILE` are set.
    ///
    /// ```
    /// # use twelvefactor_runtime::ConfigError;
    /// assert_eq!(
    ///     ConfigError::both_set("TOKEN").to_string(),
    ///     "both TOKEN and TOKEN_FILE are set: set only one"
    /// );
    /// ```
    pub fn both_set(variable: impl Into<Cow<'static, str>>) -> Self {
        ConfigError {
            variable: variable.into(),
            problem: Problem::BothSet,
        }
    }

    /// `variable_FILE` names `path`, which cannot be read.
    ///
    /// ```
    /// # use twelvefactor_runtime::ConfigError;
    /// let error = ConfigError::unreadable("TOKEN", "/run/secrets/token", "No such file");
    /// assert_eq!(
    ///     error.to_string(),
    ///     r#"cannot read TOKEN_FILE="/run/secrets/token": No such file"#
    /// );
    /// ```
    pub fn unreadable(
        variable: impl Into<Cow<'static, str>>,
        path: impl Into<String>,
        why: impl Into<String>,
    ) -> Self {
        ConfigError {
            variable: variable.into(),
            problem: Problem::Unreadable {
                path: quoted(&path.into()),
                why: why.into(),
            },
        }
    }

    /// Like [`unreadable`](ConfigError::unreadable), for a path that need not be UTF-8.
    pub(crate) fn unreadable_path(
        variable: impl Into<Cow<'static, str>>,
        path: &OsStr,
        why: impl Into<String>,
    ) -> Self {
        ConfigError {
            variable: variable.into(),
            problem: Problem::Unreadable {
                path: quoted_bytes(path.as_bytes()),
                why: why.into(),
            },
        }
    }

    /// The environment variable at fault (without `_FILE`).
    ///
    /// ```
    /// # use twelvefactor_runtime::ConfigError;
    /// assert_eq!(ConfigError::new("PORT", "-1", "a port").variable(), "PORT");
    /// ```
    pub fn variable(&self) -> &str {
        &self.variable
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = &self.variable;
        match &self.problem {
            Problem::Invalid {
                value: Some(value),
                why,
            } => write!(f, "invalid {name}={value}: {}", one_line(why)),
            Problem::Invalid { value: None, why } => {
                write!(
                    f,
                    "invalid {name} (secret, value not shown): {}",
                    one_line(why)
                )
            }
            Problem::Missing { doc } if doc.trim().is_empty() => {
                write!(f, "missing {name}: required, and it has no default")
            }
            Problem::Missing { doc } => write!(f, "missing {name}: {}", one_line(doc)),
            Problem::BothSet => write!(f, "both {name} and {name}_FILE are set: set only one"),
            Problem::Unreadable { path, why } => {
                write!(f, "cannot read {name}_FILE={path}: {}", one_line(why))
            }
        }
    }
}

/// Keeps the error to one short line whatever a parser's message holds: whitespace runs with a
/// line break become one space, other control characters are escaped, and the message is cut
/// after [`WHY_CHARS`] characters as shown (an escape counts its length).
fn one_line(text: &str) -> Cow<'_, str> {
    let text = text.trim();
    let plain = !text.chars().any(char::is_control);
    if plain && text.len() <= WHY_CHARS {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len().min(WHY_CHARS * 2));
    let words = if text.contains(['\n', '\r']) {
        Box::new(text.split_whitespace()) as Box<dyn Iterator<Item = &str>>
    } else {
        Box::new(std::iter::once(text))
    };
    let mut shown = 0;
    let mut first = true;
    for word in words {
        if !first {
            out.push(' ');
            shown += 1;
        }
        first = false;
        for c in word.chars() {
            if shown >= WHY_CHARS {
                out.push('…');
                return Cow::Owned(out);
            }
            if c.is_control() {
                // An escape counts what it shows (`\u{1f}` is six), so a message of control
                // characters stays as short as any other.
                let before = out.len();
                out.extend(c.escape_debug());
                shown += out.len() - before;
            } else {
                out.push(c);
                shown += 1;
            }
        }
    }
    Cow::Owned(out)
}

impl std::error::Error for ConfigError {}

/// Every bad variable of one read, in the order they were read. `Display` is one line per error.
///
/// ```
/// # use twelvefactor_runtime::{ConfigError, ConfigErrors};
/// let errors = ConfigErrors::from(vec![
///     ConfigError::missing("DATABASE_URL", "Postgres connection string"),
///     ConfigError::new("WORKERS", "many", "invalid digit found in string"),
/// ]);
/// assert_eq!(errors.len(), 2);
/// assert_eq!(
///     errors.to_string(),
///     "missing DATABASE_URL: Postgres connection string\n\
///      invalid WORKERS=\"many\": invalid digit found in string"
/// );
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConfigErrors(Vec<ConfigError>);

impl ConfigErrors {
    /// How many variables are at fault.
    ///
    /// ```
    /// # use twelvefactor_runtime::ConfigErrors;
    /// assert!(ConfigErrors::default().is_empty());
    /// ```
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// No errors.
    ///
    /// ```
    /// # use twelvefactor_runtime::ConfigErrors;
    /// assert_eq!(ConfigErrors::default().len(), 0);
    /// ```
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The errors, in reading order.
    ///
    /// ```
    /// # use twelvefactor_runtime::{ConfigError, ConfigErrors};
    /// let errors = ConfigErrors::from(vec![ConfigError::missing("A", "")]);
    /// assert_eq!(errors.iter().next().unwrap().variable(), "A");
    /// ```
    pub fn iter(&self) -> std::slice::Iter<'_, ConfigError> {
        self.0.iter()
    }

    pub(crate) fn push(&mut self, error: ConfigError) {
        self.0.push(error);
    }

    /// `Ok(value)` when there are no errors.
    pub(crate) fn into_result<T>(self, value: T) -> Result<T, ConfigErrors> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
}

impl From<Vec<ConfigError>> for ConfigErrors {
    fn from(errors: Vec<ConfigError>) -> Self {
        ConfigErrors(errors)
    }
}

impl From<ConfigError> for ConfigErrors {
    fn from(error: ConfigError) -> Self {
        ConfigErrors(vec![error])
    }
}

impl IntoIterator for ConfigErrors {
    type Item = ConfigError;
    type IntoIter = std::vec::IntoIter<ConfigError>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a ConfigErrors {
    type Item = &'a ConfigError;
    type IntoIter = std::slice::Iter<'a, ConfigError>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, error) in self.0.iter().enumerate() {
            if index > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigErrors {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_quoted_escaped_and_cut() {
        assert_eq!(quoted("abc"), r#""abc""#);
        assert_eq!(quoted("it's \"x\"\n\u{1b}"), r#""it's \"x\"\n\u{1b}""#);
        assert_eq!(quoted_bytes(b"80\xff\r"), r#""80\xff\r""#);
        let long = "9".repeat(100_000);
        assert_eq!(
            quoted(&long),
            format!("\"{}…\" (100000 bytes)", "9".repeat(SHOWN_CHARS))
        );
        // Cut after 64 characters, not bytes: never inside a character.
        let wide = "é".repeat(100);
        assert_eq!(quoted(&wide), format!("\"{}…\" (200 bytes)", "é".repeat(64)));
    }

    #[test]
    fn messages_stay_one_short_line() {
        let error = ConfigError::new("X", "v", format!("line one\nline two\u{7}{}", "m".repeat(1000)));
        let line = error.to_string();
        assert!(line.starts_with(r#"invalid X="v": line one line two\u{7}mmm"#), "{line}");
        assert!(line.ends_with('…'), "{line}");
        assert!(line.chars().count() < 300, "{line}");
        let path = ConfigError::unreadable_path("T", OsStr::from_bytes(b"/run/\xfe"), "gone");
        assert_eq!(path.to_string(), r#"cannot read T_FILE="/run/\xfe": gone"#);
    }

    /// Found by fuzzing `env`: a parser's message of 200 control characters (RUST_LOG echoes
    /// the directive it refuses) was cut after 240 characters of input, each escaped to six, so
    /// the line reached 1,042 bytes. The cut counts what is shown.
    #[test]
    fn a_message_of_control_characters_is_cut_as_shown() {
        let value = "\u{1f}".repeat(200);
        let error = ConfigError::new("RUST_LOG", &value, format!("bad directive {value}"));
        let line = error.to_string();
        assert!(!line.chars().any(char::is_control), "{line}");
        assert!(line.len() <= 1024, "{} bytes: {line}", line.len());
        let (_, why) = line.split_once(": bad directive").unwrap();
        assert!(why.chars().count() <= WHY_CHARS + 10, "{why}");
        assert!(why.ends_with('…'), "{why}");
    }
}
