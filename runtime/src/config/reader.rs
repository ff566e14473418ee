//! Where a configuration's values come from: the process environment or a given map, with
//! `NAME_FILE` for every variable, defaults, and a record of each value's source for the start-up
//! log. Errors are collected, never returned early, so that one read reports every bad variable.

use crate::config::error::{ConfigError, ConfigErrors, WHY_CHARS};
use crate::config::variable::Variable;
use std::collections::HashMap;
use std::ffi::OsString;
use std::io::Read;
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::Path;

/// The variables a configuration is read from.
pub(crate) enum Env {
    /// The process environment, one `getenv` per variable (cheaper at start than copying the
    /// whole environment).
    Process,
    /// A given map (tests, tools).
    Map(HashMap<String, OsString>),
}

impl Env {
    fn get(&self, name: &str) -> Option<OsString> {
        match self {
            Env::Process => std::env::var_os(name),
            Env::Map(map) => map.get(name).cloned(),
        }
    }

    /// Every set variable's name that starts with `prefix` (names that are not UTF-8 cannot be
    /// any configuration's and are left out).
    pub(crate) fn names_with(&self, prefix: &str) -> Vec<String> {
        match self {
            Env::Process => std::env::vars_os()
                .filter_map(|(name, _)| name.into_string().ok())
                .filter(|name| name.starts_with(prefix))
                .collect(),
            Env::Map(map) => map
                .keys()
                .filter(|name| name.starts_with(prefix))
                .cloned()
                .collect(),
        }
    }
}

/// Where one variable's value came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// The variable itself.
    Env,
    /// `NAME_FILE`, naming this path.
    File(String),
    /// The field's default.
    Default,
    /// Unset, and the field is optional.
    Unset,
}

/// One line of the start-up report: a variable, its source, and its value unless secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Sourced {
    pub name: &'static str,
    pub source: Source,
    /// `None` for secrets and unset variables.
    pub shown: Option<String>,
}

/// Reads the fields of one configuration; the derive's generated code calls it once per field.
pub struct Reader<'a> {
    env: &'a Env,
    errors: ConfigErrors,
    sources: Vec<Sourced>,
    /// `NAME_FILE` of the variable being read, built here rather than allocated per variable.
    file_name: String,
}

impl<'a> Reader<'a> {
    #[cfg(test)]
    pub(crate) fn new(env: &'a Env) -> Self {
        Reader::with_capacity(env, 0)
    }

    /// A reader for `variables` fields: their sources are recorded without regrowing.
    pub(crate) fn with_capacity(env: &'a Env, variables: usize) -> Self {
        Reader {
            env,
            errors: ConfigErrors::default(),
            sources: Vec::with_capacity(variables),
            file_name: String::new(),
        }
    }

    pub(crate) fn finish(self) -> (ConfigErrors, Vec<Sourced>) {
        (self.errors, self.sources)
    }

    /// A field that must end up with a value: from the environment, its file, or its default.
    /// `None` after recording an error.
    pub fn required<T>(
        &mut self,
        variable: &Variable,
        parse: fn(&str) -> Result<T, String>,
    ) -> Option<T> {
        match self.optional(variable, parse)? {
            Some(value) => Some(value),
            None => {
                let doc = variable.doc.trim();
                let doc = doc.strip_suffix('.').unwrap_or(doc);
                self.errors.push(ConfigError::missing(variable.name, doc));
                None
            }
        }
    }

    /// A field that may stay unset: `Some(None)` when it is. `None` after recording an error.
    pub fn optional<T>(
        &mut self,
        variable: &Variable,
        parse: fn(&str) -> Result<T, String>,
    ) -> Option<Option<T>> {
        let Some((text, source)) = self.raw(variable)? else {
            if !variable.required {
                self.sources.push(Sourced {
                    name: variable.name,
                    source: Source::Unset,
                    shown: None,
                });
            }
            return Some(None);
        };
        match parse(&text) {
            Ok(value) => {
                self.sources.push(Sourced {
                    name: variable.name,
                    shown: (!variable.secret).then_some(text),
                    source,
                });
                Some(Some(value))
            }
            Err(why) => {
                let why = if source == Source::Default {
                    format!("{why} (this is the default of field `{}`)", variable.field)
                } else {
                    why
                };
                self.errors.push(if variable.secret {
                    ConfigError::secret(variable.name, &text, mask_parts(&why, &text))
                } else {
                    ConfigError::new(variable.name, text, why)
                });
                None
            }
        }
    }

    /// The text of `variable` and where it came from; `Ok(None)` when unset with no default;
    /// `None` after recording an error.
    #[allow(clippy::option_option)]
    fn raw(&mut self, variable: &Variable) -> Option<Option<(String, Source)>> {
        let name = variable.name;
        let direct = self.env.get(name);
        self.file_name.clear();
        self.file_name.push_str(name);
        self.file_name.push_str("_FILE");
        let file = self.env.get(&self.file_name);
        match (direct, file) {
            (Some(_), Some(_)) => {
                self.errors.push(ConfigError::both_set(name));
                None
            }
            (Some(value), None) => match value.into_string() {
                Ok(text) => Some(Some((text, Source::Env))),
                Err(raw) => {
                    self.errors.push(if variable.secret {
                        ConfigError::secret(name, "", "not valid UTF-8")
                    } else {
                        ConfigError::not_utf8(name, &raw)
                    });
                    None
                }
            },
            (None, Some(path)) => match read_file(Path::new(&path)) {
                Ok(mut text) => {
                    trim_newline(&mut text);
                    let shown_path = path.to_string_lossy().into_owned();
                    Some(Some((text, Source::File(shown_path))))
                }
                Err(why) => {
                    self.errors
                        .push(ConfigError::unreadable_path(name, &path, why));
                    None
                }
            },
            (None, None) => match variable.default {
                Some(default) => Some(Some((default.to_owned(), Source::Default))),
                None => Some(None),
            },
        }
    }
}

/// The largest `NAME_FILE` read: far above any secret or setting, far below what could exhaust
/// memory. A larger file is a configuration error.
pub(crate) const MAX_FILE: u64 = 64 * 1024;

/// The contents of a `NAME_FILE`: a regular file (or a link to one) of at most [`MAX_FILE`]
/// bytes, in UTF-8. Anything else is `Err` with the reason, never a hang: the file is opened
/// without blocking (a FIFO with no writer would block an ordinary open) and checked through
/// the open descriptor, so nothing can swap it between the check and the read.
fn read_file(path: &Path) -> Result<String, String> {
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
        .map_err(|error| error.to_string())?;
    let metadata = file.metadata().map_err(|error| error.to_string())?;
    let kind = metadata.file_type();
    if !kind.is_file() {
        let what = if kind.is_dir() {
            "a directory"
        } else if kind.is_fifo() {
            "a FIFO"
        } else if kind.is_char_device() || kind.is_block_device() {
            "a device"
        } else if kind.is_socket() {
            "a socket"
        } else {
            "not a file"
        };
        return Err(format!("{what}, not a regular file"));
    }
    let too_large = |size: u64| format!("{size} bytes, more than the {MAX_FILE}-byte limit");
    if metadata.len() > MAX_FILE {
        return Err(too_large(metadata.len()));
    }
    // The file may grow after the check: read one byte past the limit to notice.
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    file.take(MAX_FILE + 1)
        .read_to_end(&mut bytes)
        .map_err(|error| error.to_string())?;
    if bytes.len() as u64 > MAX_FILE {
        return Err(too_large(bytes.len() as u64));
    }
    String::from_utf8(bytes).map_err(|_| "the contents are not valid UTF-8".to_owned())
}

/// Removes one trailing `\n` or `\r\n`, as editors and `echo` leave in secret files.
fn trim_newline(text: &mut String) {
    if text.ends_with('\n') {
        text.pop();
        if text.ends_with('\r') {
            text.pop();
        }
    }
}

/// Masks every comma-separated part of a secret's value that a parser's message might echo.
/// Bounded for hostile values: the message is first cut to what an error line can show, and
/// parts are masked longest first (so a part inside another cannot leave the rest visible).
fn mask_parts(why: &str, value: &str) -> String {
    let limit = why
        .char_indices()
        .nth(4 * WHY_CHARS)
        .map_or(why.len(), |(at, _)| at);
    let mut why = why[..limit].to_owned();
    let mut parts: Vec<&str> = value
        .split(',')
        .map(str::trim)
        .filter(|part| !part.is_empty() && part.len() <= why.len())
        .collect();
    parts.sort_unstable_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    parts.dedup();
    for part in parts {
        if why.contains(part) {
            why = why.replace(part, "***");
        }
    }
    why
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: Variable = Variable {
        name: "APP_TOKEN",
        field: "token",
        doc: "API token.",
        default: None,
        required: true,
        secret: true,
    };
    const WORKERS: Variable = Variable {
        name: "APP_WORKERS",
        field: "workers",
        doc: "",
        default: Some("4"),
        required: false,
        secret: false,
    };

    fn env(vars: &[(&str, &str)]) -> Env {
        Env::Map(
            vars.iter()
                .map(|(k, v)| ((*k).to_owned(), OsString::from(v)))
                .collect(),
        )
    }

    fn u16s(text: &str) -> Result<u16, String> {
        text.parse::<u16>().map_err(|e| e.to_string())
    }

    #[test]
    fn default_and_missing() {
        let env = env(&[]);
        let mut reader = Reader::new(&env);
        assert_eq!(reader.required(&WORKERS, u16s), Some(4));
        assert_eq!(reader.required(&TOKEN, |t| Ok(t.to_owned())), None);
        let (errors, sources) = reader.finish();
        assert_eq!(errors.to_string(), "missing APP_TOKEN: API token");
        assert_eq!(sources[0].source, Source::Default);
    }

    #[test]
    fn file_is_trimmed_and_both_set_is_an_error() {
        let dir = std::env::temp_dir().join(format!("tf-env-source-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("token");
        std::fs::write(&path, "s3cret\r\n").unwrap();
        let path = path.to_str().unwrap();
        let env_file = env(&[("APP_TOKEN_FILE", path)]);
        let mut reader = Reader::new(&env_file);
        assert_eq!(
            reader.required(&TOKEN, |t| Ok(t.to_owned())).as_deref(),
            Some("s3cret")
        );
        let (errors, sources) = reader.finish();
        assert!(errors.is_empty());
        assert_eq!(sources[0].source, Source::File(path.to_owned()));
        assert_eq!(sources[0].shown, None, "secret shown");

        let both = env(&[("APP_TOKEN_FILE", path), ("APP_TOKEN", "x")]);
        let mut reader = Reader::new(&both);
        assert_eq!(reader.required(&TOKEN, |t| Ok(t.to_owned())), None);
        assert_eq!(
            reader.finish().0.to_string(),
            "both APP_TOKEN and APP_TOKEN_FILE are set: set only one"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn secret_values_are_masked_in_parser_messages() {
        let env = env(&[("APP_TOKEN", "abc,hunter2")]);
        let mut reader = Reader::new(&env);
        let echo = |text: &str| -> Result<String, String> { Err(format!("cannot use {text}")) };
        assert_eq!(reader.required(&TOKEN, echo), None);
        let line = reader.finish().0.to_string();
        assert!(!line.contains("hunter2") && !line.contains("abc"), "{line}");
    }

    #[test]
    fn a_bad_default_says_so() {
        const BAD: Variable = Variable {
            default: Some("four"),
            ..WORKERS
        };
        let env = env(&[]);
        let mut reader = Reader::new(&env);
        assert_eq!(reader.required(&BAD, u16s), None);
        assert_eq!(
            reader.finish().0.to_string(),
            "invalid APP_WORKERS=\"four\": invalid digit found in string (this is the default of field `workers`)"
        );
    }
}
