//! The Procfile: one line per process type, `release:` for the one-off release type; and its
//! reading, for the check.

use crate::deploy::contract::Contract;
use crate::deploy::flags::Flags;
use crate::deploy::output::file_header;
use std::fmt::Write;

/// The Procfile.
pub fn emit(contract: &Contract, flags: &Flags) -> String {
    let exec = flags.procfile_exec(contract);
    let mut out = file_header("Procfile");
    if contract.process_types.is_empty() {
        let _ = writeln!(out, "web: {exec}");
        return out;
    }
    let release = contract.release_type().map(|kind| kind.name);
    for kind in &contract.process_types {
        if !kind.one_off {
            let _ = writeln!(out, "{}: {exec} {}", kind.name, kind.name);
        } else if Some(kind.name) == release {
            let _ = writeln!(out, "release: {exec} {}", kind.name);
        } else {
            let _ = writeln!(out, "# one-off, run by hand: {exec} {}", kind.name);
        }
    }
    out
}

/// One `name: command` line of a Procfile.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    /// The 1-based line number.
    pub number: usize,
    /// The process name before the colon.
    pub name: String,
    /// The command after it.
    pub command: String,
}

/// The process lines of a Procfile; comments, blank lines and lines without a valid name are
/// skipped, as Procfile runners do.
pub fn parse(text: &str) -> Vec<Line> {
    let mut lines = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.starts_with('#') {
            continue;
        }
        let Some((name, command)) = line.split_once(':') else {
            continue;
        };
        let valid = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if valid && !command.trim().is_empty() {
            lines.push(Line {
                number: index + 1,
                name: name.to_owned(),
                command: command.trim().to_owned(),
            });
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deploy::contract::tests::{bare, shop};

    #[test]
    fn lines_per_type() {
        assert_eq!(
            emit(&shop(), &Flags::default()),
            "# file: Procfile\nweb: shop-svc web\nworker: shop-svc worker\nrelease: shop-svc release\n"
        );
        assert_eq!(emit(&bare(), &Flags::default()), "# file: Procfile\nweb: hello\n");
    }

    #[test]
    fn parses_what_runners_run() {
        let lines = parse("# c\nweb: ./svc web\n\nbad line\nworker:\nrelease:./svc release\n");
        let names: Vec<&str> = lines.iter().map(|line| line.name.as_str()).collect();
        assert_eq!(names, ["web", "release"]);
        assert_eq!(lines[1].number, 6);
        assert_eq!(lines[1].command, "./svc release");
    }
}
