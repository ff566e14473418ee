//! The command line, answered before any environment variable is read: `--help` and
//! `--version` print and exit 0 (so they work with a broken environment), an unknown process
//! type prints one line and exits 64, anything else is the [`Invocation`] to run.

use crate::cli::invocation::{decide, Command, Invocation};
use crate::cli::{help_text, version_text, ProcessType};
use crate::config::table::BUILTIN_VARIABLES;
use crate::config::variable::Variable;
use crate::exit_code;
use crate::lifecycle::args::MainArgs;
use crate::lifecycle::exit::exit;
use crate::lifecycle::spec::MainSpec;
use std::io::Write;

/// What the command line asks; returns only when the process is to run.
pub(crate) fn answer<R: MainArgs>(spec: &MainSpec, params: &R) -> Invocation {
    let args: Vec<_> = std::env::args_os().skip(1).collect();
    let process_type = std::env::var_os("PROCESS_TYPE").filter(|value| !value.is_empty());
    match decide(params.types(), args, process_type, spec.answers_flags) {
        Ok(Command::Run(invocation)) => invocation,
        Ok(Command::Help) => print_and_exit(&help(spec, params)),
        Ok(Command::Version) => print_and_exit(&version_text(&program(spec), spec.version)),
        Err(error) => {
            let line = format!("{}: {error}\n", program_name());
            let _ = std::io::stderr().write_all(line.as_bytes());
            exit(exit_code::USAGE)
        }
    }
}

/// The `--help` text of a `main` whose parameters are `R`.
pub(crate) fn help<R: MainArgs>(spec: &MainSpec, params: &R) -> String {
    let types = params.types();
    help_text(
        &program(spec),
        spec.version,
        Some(spec.description),
        types,
        &with_listeners(variables(types, params.variables()), spec),
    )
}

/// `variables` with the declared listeners' `{NAME}_PORT` after the runtime's own. The help
/// is printed once and the process exits, so the default ports are written out once here.
fn with_listeners(mut variables: Vec<Variable>, spec: &MainSpec) -> Vec<Variable> {
    let at = variables.iter().take_while(|v| v.field.is_empty()).count();
    let declared = spec.listeners.iter().map(|decl| Variable {
        name: decl.env,
        field: "",
        doc: "Port of a listener declared with `listeners(…)`",
        default: Some(&*Box::leak(decl.default_port.to_string().into_boxed_str())),
        required: false,
        secret: false,
    });
    variables.splice(at..at, declared);
    variables
}

/// Every variable the process may read, in the help's order: the runtime's own (without
/// `PROCESS_TYPE` when there are no process types), then the configuration's. Declared
/// listeners' variables join it in
/// the help ([`help`]).
pub(crate) fn variables(types: &[ProcessType], config: &[Variable]) -> Vec<Variable> {
    BUILTIN_VARIABLES
        .iter()
        .filter(|variable| !types.is_empty() || variable.name != "PROCESS_TYPE")
        .chain(config)
        .copied()
        .collect()
}

pub(crate) fn program(spec: &MainSpec) -> String {
    if spec.package.is_empty() {
        program_name()
    } else {
        spec.package.to_owned()
    }
}

fn print_and_exit(text: &str) -> ! {
    let mut stdout = std::io::stdout().lock();
    let written = stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush());
    exit(if written.is_ok() {
        exit_code::SUCCESS
    } else {
        exit_code::FAILURE
    })
}

/// The name the program was run as, for the lines it writes to stderr.
pub(crate) fn program_name() -> String {
    std::env::args_os()
        .next()
        .map(std::path::PathBuf::from)
        .and_then(|path| {
            path.file_name()
                .map(|name| name.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| "twelve_factor".to_owned())
}
