//! `--help`: the usage line, the process types with their doc comments, and every environment
//! variable the process reads, as plain text built from the same tables the runtime runs on.

use super::process::ProcessType;
use crate::config::variable::Variable;
use std::ffi::OsStr;

/// Names wider than this do not widen the column; their text follows after two spaces.
const MAX_NAME_COLUMN: usize = 28;

/// Whether the first command-line argument asks for help: `--help` or `-h`. Only the first
/// argument counts; later ones belong to the program.
pub fn is_help(first_arg: Option<&OsStr>) -> bool {
    first_arg.is_some_and(|arg| arg == "--help" || arg == "-h")
}

/// The whole `--help` text: the program and its version, its description, the usage line,
/// the two flags, then [`help_sections`].
///
/// `program` is the name shown (the package's or binary's name), `description` the package's
/// one-line description (`None` or empty leaves it out), `types` the derive's
/// [`Process::TYPES`](super::process::Process::TYPES) (empty for a binary without process types),
/// `variables` the runtime's variables followed by the configuration's.
pub fn help_text(
    program: &str,
    version: &str,
    description: Option<&str>,
    types: &[ProcessType],
    variables: &[Variable],
) -> String {
    let mut text = format!("{program} {version}\n");
    if let Some(description) = description.map(str::trim).filter(|text| !text.is_empty()) {
        text.push_str(description);
        text.push('\n');
    }
    text.push_str("\nUsage: ");
    text.push_str(program);
    if !types.is_empty() {
        let names: Vec<&str> = types.iter().map(|process_type| process_type.name).collect();
        text.push_str(&format!(" [{}]", names.join("|")));
    }
    text.push_str(" [ARGS...]\n\nOptions (as the first argument):\n");
    push_rows(
        &mut text,
        &[
            ("-h, --help".to_owned(), "Print this help".to_owned()),
            ("-V, --version".to_owned(), "Print the version".to_owned()),
        ],
    );
    let sections = help_sections(types, variables);
    if !sections.is_empty() {
        text.push('\n');
        text.push_str(&sections);
    }
    text
}

/// The process types and the environment sections of [`help_text`] alone, for a program that
/// parses its own arguments (for example as clap's `after_help`): each type with its doc
/// comment, marked `(default)` or `(one-off)`, then each variable with its doc and its
/// default, `required` and `secret` markers. Sections with nothing to list are left out.
///
/// ```
/// use twelve_factor::{Config, ProcessType};
///
/// /// Settings of the shop service.
/// #[derive(Config)]
/// #[config(prefix = "SHOP_")]
/// struct Settings {
///     /// Worker threads.
///     #[config(default = "4")]
///     workers: u16,
/// }
///
/// let types = [ProcessType { name: "web", doc: "Serves HTTP.", one_off: false, default: true }];
/// let text = twelve_factor::help_sections(&types, Settings::VARIABLES);
/// assert_eq!(
///     text,
///     "Process types (the first argument, or PROCESS_TYPE):\n  \
///        web  Serves HTTP. (default)\n\
///      \n\
///      Environment:\n  \
///        SHOP_WORKERS  Worker threads. (default: 4)\n\
///      \n\
///      Each variable of the configuration can also be read from a file: NAME_FILE=/path.\n"
/// );
/// ```
pub fn help_sections(types: &[ProcessType], variables: &[Variable]) -> String {
    let mut text = String::new();
    if !types.is_empty() {
        text.push_str("Process types (the first argument, or PROCESS_TYPE):\n");
        let rows: Vec<(String, String)> = types
            .iter()
            .map(|process_type| {
                let marks = [
                    process_type.default.then_some("default"),
                    process_type.one_off.then_some("one-off"),
                ];
                (
                    process_type.name.to_owned(),
                    with_marks(process_type.doc, marks.into_iter().flatten()),
                )
            })
            .collect();
        push_rows(&mut text, &rows);
    }
    if !variables.is_empty() {
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str("Environment:\n");
        let rows: Vec<(String, String)> = variables
            .iter()
            .map(|variable| (variable.name.to_owned(), describe(variable)))
            .collect();
        push_rows(&mut text, &rows);
        // Only a configuration's own fields (not the runtime's variables) have a field name.
        if variables.iter().any(|variable| !variable.field.is_empty()) {
            text.push_str(
                "\nEach variable of the configuration can also be read from a file: NAME_FILE=/path.\n",
            );
        }
    }
    text
}

/// A variable's doc followed by its markers: `(required, secret)`, `(default: 4)`.
fn describe(variable: &Variable) -> String {
    let default = variable.default.map(|default| match default {
        "" => "default: \"\"".to_owned(),
        default => format!("default: {}", one_line(default)),
    });
    let marks = [
        default,
        variable.required.then(|| "required".to_owned()),
        variable.secret.then(|| "secret".to_owned()),
    ];
    with_marks(variable.doc, marks.into_iter().flatten())
}

/// `doc (mark, mark)`, or either part alone.
fn with_marks<S: AsRef<str>>(doc: &str, marks: impl Iterator<Item = S>) -> String {
    let marks: Vec<S> = marks.collect();
    let mut text = one_line(doc);
    if !marks.is_empty() {
        if !text.is_empty() {
            text.push(' ');
        }
        let marks: Vec<&str> = marks.iter().map(AsRef::as_ref).collect();
        text.push_str(&format!("({})", marks.join(", ")));
    }
    text
}

/// Rows of `  name  text`, the texts aligned in one column.
fn push_rows(text: &mut String, rows: &[(String, String)]) {
    let width = rows
        .iter()
        .map(|(name, _)| name.chars().count())
        .filter(|&width| width <= MAX_NAME_COLUMN)
        .max()
        .unwrap_or(0);
    for (name, description) in rows {
        text.push_str("  ");
        text.push_str(name);
        if !description.is_empty() {
            let pad = width.saturating_sub(name.chars().count()) + 2;
            text.extend(std::iter::repeat_n(' ', pad));
            text.push_str(description);
        }
        text.push('\n');
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const TYPES: [ProcessType; 3] = [
        ProcessType {
            name: "web",
            doc: "Serves HTTP on PORT.",
            one_off: false,
            default: true,
        },
        ProcessType {
            name: "worker",
            doc: "Consumes the job\n   queue.",
            one_off: false,
            default: false,
        },
        ProcessType {
            name: "send-digest",
            doc: "",
            one_off: true,
            default: false,
        },
    ];

    const fn variable(
        name: &'static str,
        field: &'static str,
        doc: &'static str,
        default: Option<&'static str>,
        required: bool,
        secret: bool,
    ) -> Variable {
        Variable {
            name,
            field,
            doc,
            default,
            required,
            secret,
        }
    }

    const VARIABLES: [Variable; 5] = [
        variable("PORT", "", "TCP port", Some("8080"), false, false),
        variable(
            "SHOP_DATABASE_URL",
            "database_url",
            "Postgres connection string.",
            None,
            true,
            false,
        ),
        variable(
            "SHOP_WORKERS",
            "workers",
            "Worker threads.",
            Some("4"),
            false,
            false,
        ),
        variable("SHOP_API_TOKEN", "api_token", "", None, true, true),
        variable("SHOP_SUFFIX", "suffix", "Appended.", Some(""), false, false),
    ];

    #[test]
    fn help_only_as_the_first_argument() {
        assert!(is_help(Some(OsStr::new("--help"))));
        assert!(is_help(Some(OsStr::new("-h"))));
        assert!(!is_help(Some(OsStr::new("--helpme"))));
        assert!(!is_help(Some(OsStr::new("help"))));
        assert!(!is_help(Some(OsStr::new("web"))));
        assert!(!is_help(None));
    }

    #[test]
    fn the_whole_text() {
        let text = help_text(
            "shop",
            "1.2.3",
            Some("The shop service."),
            &TYPES,
            &VARIABLES,
        );
        let expected = "\
shop 1.2.3
The shop service.

Usage: shop [web|worker|send-digest] [ARGS...]

Options (as the first argument):
  -h, --help     Print this help
  -V, --version  Print the version

Process types (the first argument, or PROCESS_TYPE):
  web          Serves HTTP on PORT. (default)
  worker       Consumes the job queue.
  send-digest  (one-off)

Environment:
  PORT               TCP port (default: 8080)
  SHOP_DATABASE_URL  Postgres connection string. (required)
  SHOP_WORKERS       Worker threads. (default: 4)
  SHOP_API_TOKEN     (required, secret)
  SHOP_SUFFIX        Appended. (default: \"\")

Each variable of the configuration can also be read from a file: NAME_FILE=/path.
";
        assert_eq!(text, expected);
    }

    #[test]
    fn lists_every_type_and_every_variable() {
        let text = help_text("svc", "0.1.0", None, &TYPES, &VARIABLES);
        for process_type in &TYPES {
            let line = text
                .lines()
                .find(|line| line.trim_start().starts_with(process_type.name))
                .unwrap_or_else(|| panic!("{} missing:\n{text}", process_type.name));
            assert!(line.contains(&one_line(process_type.doc)), "{line}");
        }
        for variable in &VARIABLES {
            let line = text
                .lines()
                .find(|line| line.trim_start().starts_with(&format!("{} ", variable.name)))
                .unwrap_or_else(|| panic!("{} missing:\n{text}", variable.name));
            assert!(line.contains(variable.doc), "{line}");
            assert_eq!(line.contains("required"), variable.required, "{line}");
            assert_eq!(line.contains("secret"), variable.secret, "{line}");
        }
    }

    #[test]
    fn without_types_or_description() {
        let text = help_text("svc", "0.1.0", Some("  "), &[], &VARIABLES[..1]);
        assert!(text.starts_with("svc 0.1.0\n\nUsage: svc [ARGS...]\n"), "{text}");
        assert!(!text.contains("Process types"), "{text}");
        // Only runtime variables: no NAME_FILE note.
        assert!(!text.contains("NAME_FILE"), "{text}");
        assert!(text.ends_with("Environment:\n  PORT  TCP port (default: 8080)\n"), "{text}");
    }

    #[test]
    fn sections_alone() {
        assert_eq!(help_sections(&[], &[]), "");
        let text = help_sections(&TYPES[..1], &[]);
        assert_eq!(
            text,
            "Process types (the first argument, or PROCESS_TYPE):\n  web  Serves HTTP on PORT. (default)\n"
        );
    }

    #[test]
    fn long_names_do_not_widen_the_column() {
        let long = variable(
            "A_VERY_LONG_VARIABLE_NAME_INDEED_YES",
            "",
            "Long.",
            None,
            false,
            false,
        );
        let short = variable("HOST", "", "Address.", None, false, false);
        let text = help_sections(&[], &[long, short]);
        assert!(text.contains("\n  A_VERY_LONG_VARIABLE_NAME_INDEED_YES  Long.\n"), "{text}");
        assert!(text.contains("\n  HOST  Address.\n"), "{text}");
    }
}
