//! [`Invocation`]: what the command line asks of the process, decided from its arguments and
//! `PROCESS_TYPE` before any other variable is read: help, the version, or a process type to
//! run with the program's remaining arguments.

use super::help::is_help;
use super::process::ProcessType;
use super::select::{select, Selection, Source, UsageError};
use super::version::is_version;
use std::ffi::OsString;

/// What the first argument asks for.
#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    /// `--help` or `-h`: print the help and exit 0.
    Help,
    /// `--version` or `-V`: print the version and exit 0.
    Version,
    /// Run the process.
    Run(Invocation),
}

/// The process to run: its type, when the binary has process types, and the program's own
/// arguments (after the process type, when the first argument named it).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Invocation {
    /// The selected process type, with its index in the types.
    pub process: Option<(usize, ProcessType)>,
    /// What selected it.
    pub from: Option<Source>,
    /// The type the first argument most likely meant, when it named none (worth a warning).
    pub near_miss: Option<&'static str>,
    /// The program's arguments, without the program's name nor the process type.
    pub args: Vec<OsString>,
}

impl Invocation {
    /// Whether the selected type is a one-off admin process.
    pub fn one_off(&self) -> bool {
        self.process.is_some_and(|(_, process_type)| process_type.one_off)
    }

    /// The selected type's name.
    pub fn name(&self) -> Option<&'static str> {
        self.process.map(|(_, process_type)| process_type.name)
    }
}

/// Decides what the command line asks: `args` are the program's arguments without its name,
/// `process_type` the value of `PROCESS_TYPE`, `types` the binary's process types (empty
/// without a `Process` parameter, in which case `PROCESS_TYPE` is ignored). `answers_flags`:
/// whether the runtime answers `--help` and `--version` (not when the program parses its own
/// command line).
pub fn decide(
    types: &'static [ProcessType],
    mut args: Vec<OsString>,
    process_type: Option<OsString>,
    answers_flags: bool,
) -> Result<Command, UsageError> {
    let first = args.first().map(OsString::as_os_str);
    if answers_flags && is_help(first) {
        return Ok(Command::Help);
    }
    if answers_flags && is_version(first) {
        return Ok(Command::Version);
    }
    if types.is_empty() {
        return Ok(Command::Run(Invocation {
            args,
            ..Invocation::default()
        }));
    }
    let Selection {
        index,
        from,
        near_miss,
    } = select(types, first, process_type.as_deref())?;
    if from == Source::Argument {
        args.remove(0);
    }
    Ok(Command::Run(Invocation {
        process: Some((index, types[index])),
        from: Some(from),
        near_miss: near_miss.map(|index| types[index].name),
        args,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TYPES: &[ProcessType] = &[
        ProcessType {
            name: "web",
            doc: "",
            one_off: false,
            default: true,
        },
        ProcessType {
            name: "release",
            doc: "",
            one_off: true,
            default: false,
        },
    ];

    fn os(args: &[&str]) -> Vec<OsString> {
        args.iter().map(OsString::from).collect()
    }

    #[test]
    fn flags_first_then_the_process_type() {
        assert_eq!(decide(TYPES, os(&["-h"]), None, true), Ok(Command::Help));
        assert_eq!(
            decide(&[], os(&["--version", "x"]), None, true),
            Ok(Command::Version)
        );
        let Ok(Command::Run(run)) = decide(TYPES, os(&["release", "--dry-run"]), None, true)
        else {
            panic!("runs")
        };
        assert_eq!((run.name(), run.one_off()), (Some("release"), true));
        assert_eq!(run.args, os(&["--dry-run"]));
        let Ok(Command::Run(run)) = decide(TYPES, os(&["--dry-run"]), Some("release".into()), true)
        else {
            panic!("runs")
        };
        assert_eq!((run.name(), run.from), (Some("release"), Some(Source::Env)));
        assert_eq!(run.args, os(&["--dry-run"]));
    }

    #[test]
    fn a_program_with_its_own_command_line_keeps_its_flags() {
        let Ok(Command::Run(run)) = decide(TYPES, os(&["--help"]), None, false) else {
            panic!("runs")
        };
        assert_eq!((run.name(), run.args.len()), (Some("web"), 1));
    }

    #[test]
    fn without_types_every_argument_is_the_programs() {
        let Ok(Command::Run(run)) = decide(&[], os(&["worker"]), Some("x".into()), true) else {
            panic!("runs")
        };
        assert_eq!((run.process, run.args), (None, os(&["worker"])));
    }

    #[test]
    fn an_unknown_type_is_a_usage_error() {
        let error = decide(TYPES, os(&[]), Some("webb".into()), true).unwrap_err();
        assert!(error.to_string().contains("did you mean \"web\""), "{error}");
    }
}
