//! [`select`]: which process type runs. The first command-line argument when it names a type,
//! else `PROCESS_TYPE`, else the default type; anything else is a [`UsageError`].

use super::process::ProcessType;
use std::ffi::OsStr;
use std::fmt;

/// Where the selected process type came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// The first command-line argument named it; the program's own arguments start after it.
    Argument,
    /// `PROCESS_TYPE` named it; every argument is the program's.
    Env,
    /// Nothing named a type, so the `#[process(default)]` type runs.
    Default,
}

/// The outcome of [`select`]: which type runs, and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Selection {
    /// The selected type's position in the types passed to [`select`].
    pub index: usize,
    /// What selected it.
    pub from: Source,
    /// The type the first argument most likely meant, when that argument named no type but
    /// was close to one (`wrker`) and `PROCESS_TYPE` or the default decided instead: worth a
    /// warning, since the argument is then passed on to the program as an ordinary one.
    pub near_miss: Option<usize>,
}

/// No process type could be selected. Its `Display` is one line, for stderr, and the process
/// exits with [`exit_code::USAGE`](crate::exit_code::USAGE).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UsageError {
    problem: Problem,
    /// Every type's name, in order: the list the message ends with.
    names: Vec<&'static str>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Problem {
    /// A name that is no type's, from the argument or from `PROCESS_TYPE`.
    Unknown {
        given: String,
        from: Source,
        closest: Option<&'static str>,
    },
    /// No argument, no `PROCESS_TYPE` and no default type.
    NoneGiven,
}

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names = self.names.join(", ");
        match &self.problem {
            Problem::Unknown {
                given,
                from,
                closest,
            } => {
                write!(f, "unknown process type {given:?}")?;
                if *from == Source::Env {
                    f.write_str(" in PROCESS_TYPE")?;
                }
                if let Some(closest) = closest {
                    write!(f, "; did you mean {closest:?}?")?;
                }
                write!(f, " ({names})")
            }
            Problem::NoneGiven if self.names.is_empty() => {
                f.write_str("this program declares no process types")
            }
            Problem::NoneGiven => write!(
                f,
                "no process type given: pass one of {names} as the first argument or set PROCESS_TYPE"
            ),
        }
    }
}

impl std::error::Error for UsageError {}

/// Selects the process type to run from `types` (the derive's
/// [`Process::TYPES`](super::process::Process::TYPES)), the program's first command-line
/// argument, and the value of `PROCESS_TYPE`.
///
/// In order: a first argument that is exactly a type's name; else `PROCESS_TYPE` (which must
/// name a type; empty counts as unset); else the type marked `default`. A first argument that
/// names no type is an ordinary argument of the program when `PROCESS_TYPE` or the default
/// decides; otherwise it is reported as an unknown type, with the closest name when it is a
/// near miss. Without any types (which the derive never produces) it is always an error.
///
/// ```
/// use std::ffi::OsStr;
/// use twelve_factor::__private::cli::{select, Source};
/// use twelve_factor::ProcessType;
///
/// const fn kind(name: &'static str, default: bool) -> ProcessType {
///     ProcessType { name, doc: "", one_off: false, default }
/// }
/// let types = [kind("web", true), kind("worker", false), kind("release", false)];
///
/// let chosen = select(&types, Some(OsStr::new("worker")), None).unwrap();
/// assert_eq!((chosen.index, chosen.from), (1, Source::Argument));
///
/// let chosen = select(&types, Some(OsStr::new("--port=80")), None).unwrap();
/// assert_eq!((chosen.index, chosen.from), (0, Source::Default));
///
/// let error = select(&types, None, Some(OsStr::new("wrker"))).unwrap_err();
/// assert_eq!(
///     error.to_string(),
///     r#"unknown process type "wrker" in PROCESS_TYPE; did you mean "worker"? (web, worker, release)"#
/// );
/// ```
pub fn select(
    types: &[ProcessType],
    first_arg: Option<&OsStr>,
    process_type_env: Option<&OsStr>,
) -> Result<Selection, UsageError> {
    if types.is_empty() {
        return Err(UsageError {
            problem: Problem::NoneGiven,
            names: Vec::new(),
        });
    }
    let position = |name: &OsStr| {
        types
            .iter()
            .position(|process_type| OsStr::new(process_type.name) == name)
    };
    if let Some(index) = first_arg.and_then(position) {
        return Ok(Selection {
            index,
            from: Source::Argument,
            near_miss: None,
        });
    }
    let near_miss = first_arg.and_then(|arg| closest(types, &arg.to_string_lossy()));
    let error = |given: &OsStr, from: Source| {
        let given = given.to_string_lossy().into_owned();
        UsageError {
            problem: Problem::Unknown {
                closest: closest(types, &given).map(|index| types[index].name),
                given,
                from,
            },
            names: types.iter().map(|process_type| process_type.name).collect(),
        }
    };
    if let Some(env) = process_type_env.filter(|env| !env.is_empty()) {
        return match position(env) {
            Some(index) => Ok(Selection {
                index,
                from: Source::Env,
                near_miss,
            }),
            None => Err(error(env, Source::Env)),
        };
    }
    if let Some(index) = types.iter().position(|process_type| process_type.default) {
        return Ok(Selection {
            index,
            from: Source::Default,
            near_miss,
        });
    }
    match first_arg {
        Some(arg) => Err(error(arg, Source::Argument)),
        None => Err(UsageError {
            problem: Problem::NoneGiven,
            names: types.iter().map(|process_type| process_type.name).collect(),
        }),
    }
}

/// The type whose name is nearest to `given`, if near enough to be a slip: at most a third of
/// the name's length in edits (at least one), case ignored. Ties go to the earlier type.
fn closest(types: &[ProcessType], given: &str) -> Option<usize> {
    let given = given.to_ascii_lowercase();
    types
        .iter()
        .enumerate()
        .map(|(index, process_type)| {
            (
                crate::config::suggest::distance(&given, process_type.name),
                index,
                process_type.name.len(),
            )
        })
        .filter(|&(distance, _, len)| distance <= (len / 3).max(1))
        .min_by_key(|&(distance, index, _)| (distance, index))
        .map(|(_, index, _)| index)
}

#[cfg(test)]
mod tests {
    use super::*;

    const fn kind(name: &'static str, default: bool) -> ProcessType {
        ProcessType {
            name,
            doc: "",
            one_off: false,
            default,
        }
    }

    const WITH_DEFAULT: [ProcessType; 3] = [
        kind("web", true),
        kind("worker", false),
        kind("release", false),
    ];
    const NO_DEFAULT: [ProcessType; 3] = [
        kind("web", false),
        kind("worker", false),
        kind("release", false),
    ];

    fn os(text: &str) -> Option<&OsStr> {
        Some(OsStr::new(text))
    }

    fn chosen(result: Result<Selection, UsageError>) -> (usize, Source) {
        let selection = result.unwrap();
        (selection.index, selection.from)
    }

    #[test]
    fn argument_wins_over_env_and_default() {
        assert_eq!(
            chosen(select(&WITH_DEFAULT, os("release"), os("worker"))),
            (2, Source::Argument)
        );
        assert_eq!(
            chosen(select(&NO_DEFAULT, os("web"), None)),
            (0, Source::Argument)
        );
    }

    #[test]
    fn env_wins_over_default() {
        assert_eq!(
            chosen(select(&WITH_DEFAULT, None, os("worker"))),
            (1, Source::Env)
        );
        // An argument that names no type is the program's own.
        assert_eq!(
            chosen(select(&WITH_DEFAULT, os("input.csv"), os("release"))),
            (2, Source::Env)
        );
    }

    #[test]
    fn default_when_nothing_names_a_type() {
        assert_eq!(
            chosen(select(&WITH_DEFAULT, None, None)),
            (0, Source::Default)
        );
        assert_eq!(
            chosen(select(&WITH_DEFAULT, os("--verbose"), None)),
            (0, Source::Default)
        );
        // Empty PROCESS_TYPE counts as unset.
        assert_eq!(
            chosen(select(&WITH_DEFAULT, None, os(""))),
            (0, Source::Default)
        );
    }

    #[test]
    fn names_match_exactly() {
        // Case matters: `Worker` is not a type, so the default runs with it as an argument.
        let selection = select(&WITH_DEFAULT, os("Worker"), None).unwrap();
        assert_eq!(
            (selection.index, selection.from, selection.near_miss),
            (0, Source::Default, Some(1))
        );
    }

    #[test]
    fn near_miss_argument_is_reported_when_something_else_decides() {
        let selection = select(&WITH_DEFAULT, os("wrker"), None).unwrap();
        assert_eq!(selection.near_miss, Some(1));
        let selection = select(&WITH_DEFAULT, os("input.csv"), os("worker")).unwrap();
        assert_eq!(selection.near_miss, None);
    }

    #[test]
    fn unknown_env_is_an_error_with_did_you_mean() {
        let error = select(&WITH_DEFAULT, None, os("wrker")).unwrap_err();
        assert_eq!(
            error.to_string(),
            r#"unknown process type "wrker" in PROCESS_TYPE; did you mean "worker"? (web, worker, release)"#
        );
        // A first argument that names a type wins before PROCESS_TYPE is read.
        assert!(select(&WITH_DEFAULT, os("web"), os("wrker")).is_ok());
        // Far from every name: no suggestion.
        let error = select(&WITH_DEFAULT, None, os("cron")).unwrap_err();
        assert_eq!(
            error.to_string(),
            r#"unknown process type "cron" in PROCESS_TYPE (web, worker, release)"#
        );
    }

    #[test]
    fn unknown_argument_without_env_or_default_is_an_error() {
        let error = select(&NO_DEFAULT, os("wrker"), None).unwrap_err();
        assert_eq!(
            error.to_string(),
            r#"unknown process type "wrker"; did you mean "worker"? (web, worker, release)"#
        );
        let error = select(&NO_DEFAULT, os("RELEASE"), None).unwrap_err();
        assert!(
            error.to_string().contains(r#"did you mean "release"?"#),
            "{error}"
        );
    }

    #[test]
    fn nothing_given_without_default_is_an_error() {
        let error = select(&NO_DEFAULT, None, None).unwrap_err();
        assert_eq!(
            error.to_string(),
            "no process type given: pass one of web, worker, release as the first argument or set PROCESS_TYPE"
        );
        assert!(!error.to_string().contains('\n'));
    }

    #[test]
    fn non_utf8_values_are_errors_not_panics() {
        use std::os::unix::ffi::OsStrExt;
        let bad = OsStr::from_bytes(b"w\xffrker");
        let error = select(&NO_DEFAULT, Some(bad), None).unwrap_err();
        assert!(
            error.to_string().starts_with("unknown process type \"w\u{fffd}rker\""),
            "{error}"
        );
        assert!(select(&WITH_DEFAULT, None, Some(bad)).is_err());
    }

    #[test]
    fn no_types_is_one_plain_error() {
        let error = select(&[], Some(OsStr::new("web")), Some(OsStr::new("web"))).unwrap_err();
        assert_eq!(error.to_string(), "this program declares no process types");
    }

    #[test]
    fn suggestions_need_a_near_miss() {
        assert_eq!(closest(&WITH_DEFAULT, "wroker"), Some(1));
        assert_eq!(closest(&WITH_DEFAULT, "relase"), Some(2));
        assert_eq!(closest(&WITH_DEFAULT, "wbe"), None);
        assert_eq!(closest(&WITH_DEFAULT, "x"), None);
        assert_eq!(closest(&[], "web"), None);
    }
}
