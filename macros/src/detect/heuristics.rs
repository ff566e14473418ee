//! Patterns that usually mean daemonizing but can misfire, so they are warnings, not errors:
//! `Command::new` of a program that detaches what it runs, and a literal path ending in `.pid`
//! written to a file.

use super::catalogue::{DAEMONIZING_PROGRAMS, FILE_WRITERS, OPEN_FOR_WRITE};
use super::lex::{Delim, Pos, Tree};
use super::syntax::Path;

/// Why `Command::new` of a detaching program is suspicious.
pub(crate) const WHY_COMMAND: &str = "this program detaches what it runs from the process that started it, but the process manager owns the lifecycle and must see every process of the service";
/// What to do instead of running a detaching program.
pub(crate) const INSTEAD_COMMAND: &str = "run the program as a plain child (`Command::new(\"worker\")`, waited for) or as a service of its own; allow this warning with `#[allow(deprecated)]` if it is not daemonizing";
/// Why a PID file is suspicious.
pub(crate) const WHY_PID: &str = "a PID file tells an init script which process to watch, but the process manager owns the lifecycle and already knows the PID it started";
/// What to do instead of writing a PID file.
pub(crate) const INSTEAD_PID: &str = "drop the PID file: systemd tracks the main PID (`Type=notify`), Docker and Kubernetes track the container; allow this warning with `#[allow(deprecated)]` if the file is not this service's PID file";

/// What a heuristic matched: a description for the message, and where.
pub(crate) struct Hint {
    pub what: String,
    pub pos: Pos,
    pub pid_file: bool,
}

/// `Command::new("nohup")` (any path ending in `Command::new`), with the program's file name
/// among [`DAEMONIZING_PROGRAMS`].
pub(crate) fn command(path: &Path, args: Option<&Tree>) -> Option<Hint> {
    let names = path.names();
    let [.., command, new] = names.as_slice() else {
        return None;
    };
    if command != "Command" || new != "new" {
        return None;
    }
    let (Delim::Paren, inner) = args?.group()? else {
        return None;
    };
    let literal = inner.first()?;
    let program = literal.string()?;
    let base = program.rsplit('/').next().unwrap_or(program);
    DAEMONIZING_PROGRAMS.contains(&base).then(|| Hint {
        what: format!("`Command::new({program:?})`"),
        pos: literal.pos(),
        pid_file: false,
    })
}

/// `fs::write("/run/x.pid", …)`, `File::create("x.pid")` and the like: a call whose last path
/// segment is one of [`FILE_WRITERS`] with a literal ending in `.pid` among its arguments.
pub(crate) fn pid_write(path: &Path, args: Option<&Tree>) -> Option<Hint> {
    let last = path.segs.last()?;
    if !FILE_WRITERS.contains(&last.name.as_str()) {
        return None;
    }
    pid_literal(args?, 0)
}

/// `OpenOptions::new().write(true).open("x.pid")`: the `.open(` method at `trees[open]`, with a
/// writing option among the preceding method calls of the chain.
pub(crate) fn pid_open(trees: &[Tree], open: usize) -> Option<Hint> {
    if !trees.get(open)?.is_ident("open") {
        return None;
    }
    let hint = pid_literal(trees.get(open + 1)?, 0)?;
    let from = open.saturating_sub(24);
    let window = trees.get(from..open)?;
    let writes = window.windows(2).any(|pair| {
        pair[0].is_punct('.')
            && pair[1]
                .ident()
                .is_some_and(|name| OPEN_FOR_WRITE.contains(&name))
    });
    writes.then_some(hint)
}

/// A string literal ending in `.pid` inside `tree` (an argument group), looked for recursively.
fn pid_literal(tree: &Tree, depth: usize) -> Option<Hint> {
    if depth > 8 {
        return None;
    }
    if let Some(value) = tree.string() {
        return value.ends_with(".pid").then(|| Hint {
            what: format!("a PID file written at {value:?}"),
            pos: tree.pos(),
            pid_file: true,
        });
    }
    let (_, children) = tree.group()?;
    children
        .iter()
        .find_map(|child| pid_literal(child, depth + 1))
}

#[cfg(test)]
mod tests {
    use super::super::lex::lex;
    use super::super::syntax::path_at;
    use super::*;

    fn at_path(text: &str) -> Option<Hint> {
        let trees = lex(text);
        let (path, next) = path_at(&trees, 0)?;
        command(&path, trees.get(next)).or_else(|| pid_write(&path, trees.get(next)))
    }

    #[test]
    fn commands() {
        assert!(at_path("Command::new(\"nohup\")").is_some());
        assert!(at_path("std::process::Command::new(\"/usr/bin/setsid\")").is_some());
        assert!(at_path("Command::new(\"start-stop-daemon\")").is_some());
        assert!(at_path("Command::new(\"ls\")").is_none());
        assert!(at_path("Command::new(program)").is_none());
    }

    #[test]
    fn pid_files() {
        assert!(at_path("fs::write(\"/var/run/app.pid\", id)").is_some());
        assert!(at_path("File::create(Path::new(\"/run/app.pid\"))").is_some());
        assert!(at_path("fs::read_to_string(\"/run/nginx.pid\")").is_none());
        assert!(at_path("fs::write(\"/tmp/app.log\", x)").is_none());
        let trees = lex("OpenOptions::new().write(true).open(\"x.pid\")");
        let open = trees.iter().position(|t| t.is_ident("open")).unwrap_or(0);
        assert!(pid_open(&trees, open).is_some());
        let trees = lex("File::options().read(true).open(\"x.pid\")");
        let open = trees.iter().position(|t| t.is_ident("open")).unwrap_or(0);
        assert!(pid_open(&trees, open).is_none());
    }
}
