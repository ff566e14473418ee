//! Token patterns the check asks about around a path or method call: `Command::new` of a
//! program that detaches what it runs, a literal (or a `const`) path ending in `.pid` written to
//! a file, and whether a `dup2` argument names stdout or stderr. The entries they report, with
//! their why and instead, are in the [catalogue](crate::detect::rules::catalogue).

use crate::detect::rules::catalogue::{DAEMONIZING_PROGRAMS, FILE_WRITERS, OPEN_FOR_WRITE};
use crate::detect::syntax::lex::{Delim, Level, Node};
use crate::detect::syntax::paths::Path;

/// What a heuristic matched: a description for the message, and the byte offset where.
pub(crate) struct Hint {
    pub what: String,
    pub at: u32,
}

/// String constants of the file (`const PID_FILE: &str = "/run/x.pid";`), by name.
pub(crate) type Consts = std::collections::HashMap<String, String>;

/// Names a file binds to stdout or stderr (see [`std_stream_names`]).
pub(crate) type StdNames = std::collections::HashSet<String>;

/// `Command::new("nohup")` (any path ending in `Command::new`), with the program's file name
/// among [`DAEMONIZING_PROGRAMS`].
pub(crate) fn command(path: &Path<'_>, args: Option<Node<'_>>) -> Option<Hint> {
    let names = path.names();
    let [.., "Command", "new"] = names.as_slice() else {
        return None;
    };
    let (Delim::Paren, inner) = args?.group()? else {
        return None;
    };
    let literal = inner.get(0)?;
    let program = literal.string()?;
    let base = program.rsplit('/').next().unwrap_or(&program);
    DAEMONIZING_PROGRAMS.contains(&base).then(|| Hint {
        what: format!("`Command::new({program:?})`"),
        at: literal.at(),
    })
}

/// `fs::write("/run/x.pid", …)`, `File::create("x.pid")` and the like: a call whose last path
/// segment is one of [`FILE_WRITERS`] with a `.pid` path among its arguments.
pub(crate) fn pid_write(path: &Path<'_>, args: Option<Node<'_>>, consts: &Consts) -> Option<Hint> {
    let last = path.segs.last()?;
    if !FILE_WRITERS.contains(&last.name) {
        return None;
    }
    pid_literal(args?, consts)
}

/// `OpenOptions::new().write(true).open("x.pid")`: the `.open(` method at `level[open]`, with a
/// writing option among the preceding method calls of the chain.
pub(crate) fn pid_open(level: &Level<'_>, open: usize, consts: &Consts) -> Option<Hint> {
    if !level.get(open)?.is_ident("open") {
        return None;
    }
    let hint = pid_literal(level.get(open + 1)?, consts)?;
    let from = open.saturating_sub(24);
    let writes = (from..open).any(|i| {
        level.get(i).is_some_and(|n| n.is_punct(b'.'))
            && level
                .get(i + 1)
                .and_then(|n| n.ident())
                .is_some_and(|name| OPEN_FOR_WRITE.contains(&name))
    });
    writes.then_some(hint)
}

/// A `.pid` path inside `node` (an argument group): a string literal, or the name of a string
/// constant, looked for a few groups deep.
fn pid_literal(node: Node<'_>, consts: &Consts) -> Option<Hint> {
    let mut stack = vec![(node, 0)];
    while let Some((node, depth)) = stack.pop() {
        if let Some(value) = node.string() {
            if value.ends_with(".pid") {
                return Some(Hint {
                    what: format!("a PID file written at {value:?}"),
                    at: node.at(),
                });
            }
            continue;
        }
        if let Some(value) = node.ident().and_then(|name| consts.get(name)) {
            if value.ends_with(".pid") {
                return Some(Hint {
                    what: format!("a PID file written at {value:?}"),
                    at: node.at(),
                });
            }
        }
        if let Some((_, children)) = node.group().filter(|_| depth < 8) {
            let mut nested: Vec<_> = children.iter().map(|c| (c, depth + 1)).collect();
            nested.reverse();
            stack.extend(nested);
        }
    }
    None
}

/// The string constants a level declares at its top: `const NAME: &str = "…";` and `static`.
pub(crate) fn string_consts(level: &Level<'_>, into: &mut Consts) {
    for i in 0..level.len() {
        let Some(keyword) = level.get(i) else { break };
        if !(keyword.is_ident("const") || keyword.is_ident("static")) {
            continue;
        }
        let Some(name) = level.get(i + 1).and_then(|n| n.ident()) else {
            continue;
        };
        let value = (i + 2..(i + 10).min(level.len()))
            .map_while(|j| level.get(j).filter(|n| !n.is_punct(b';')))
            .find_map(|n| n.string());
        if let Some(value) = value {
            into.insert(name.to_owned(), value.into_owned());
        }
    }
}

/// Whether an argument names stdout or stderr: `1`, `2`, `STDOUT_FILENO`,
/// `io::stderr().as_raw_fd()`, a variable called `stdout_fd`…
pub(crate) fn names_std_stream(arg: &Level<'_>) -> bool {
    if let Some(n) = arg.get(0).and_then(|n| n.number()) {
        let alone = arg.len() == 1 || arg.get(1).is_some_and(|t| t.is_ident("as"));
        if alone && (n == 1 || n == 2) {
            return true;
        }
    }
    let mut stack = vec![*arg];
    while let Some(level) = stack.pop() {
        for node in level.iter() {
            if let Some(name) = node.ident() {
                let lower = name.to_ascii_lowercase();
                if lower.contains("stdout") || lower.contains("stderr") {
                    return true;
                }
                // `OwnedFd::from_raw_fd(1)`, `BorrowedFd::borrow_raw(2)`: descriptor 1 or 2 itself.
                if name == "from_raw_fd" || name == "borrow_raw" {
                    let fd = level
                        .iter()
                        .skip_while(|n| n.ident() != Some(name))
                        .nth(1)
                        .and_then(|n| n.group())
                        .filter(|(delim, args)| *delim == Delim::Paren && args.len() == 1)
                        .and_then(|(_, args)| args.get(0).and_then(|n| n.number()));
                    if matches!(fd, Some(1 | 2)) {
                        return true;
                    }
                }
            } else if let Some((_, inner)) = node.group() {
                if stack.len() < 64 {
                    stack.push(inner);
                }
            }
        }
    }
    false
}

/// Whether an argument is a name the file binds to stdout or stderr: `out` after
/// `let out = 1;`, `fd` in `for fd in [STDOUT_FILENO, STDERR_FILENO]`.
pub(crate) fn bound_to_std_stream(arg: &Level<'_>, names: &StdNames) -> bool {
    // `&mut out` (rustix's `dup2` takes the target by `&mut OwnedFd`).
    let skip = (0..arg.len())
        .take_while(|&i| {
            arg.get(i)
                .is_some_and(|n| n.is_punct(b'&') || n.is_ident("mut"))
        })
        .count();
    let arg = arg.slice(skip, arg.len());
    let alone = arg.len() == 1 || arg.get(1).is_some_and(|t| t.is_ident("as"));
    alone
        && arg
            .get(0)
            .and_then(|n| n.ident())
            .is_some_and(|name| names.contains(name))
}

/// The names a file binds to stdout or stderr, one hop: `let [mut] NAME [: T] = VALUE;`,
/// `const`/`static NAME: T = VALUE;` and `for NAME in VALUE { … }` where `VALUE` names a
/// standard stream ([`names_std_stream`]). Bindings are not scoped, so a name counts only when
/// every binding of it in the file names one: `let out = 1;` in one function and `let out = 7;`
/// in another make `out` count nowhere.
pub(crate) fn std_stream_names(top: &Level<'_>) -> StdNames {
    let mut verdicts = std::collections::HashMap::<&str, bool>::new();
    let mut stack = vec![*top];
    while let Some(level) = stack.pop() {
        for (i, node) in level.iter().enumerate() {
            if let Some((_, inner)) = node.group() {
                stack.push(inner);
                continue;
            }
            let Some((name, value)) = binding_at(&level, i) else {
                continue;
            };
            // `let saved = dup(STDOUT_FILENO);` holds a new descriptor, a copy of stdout.
            let copy = mentions(&value, &["dup", "try_clone", "try_clone_to_owned"]);
            let loop_over_range = node.is_ident("for") && range_covers_std_stream(&value);
            let std = loop_over_range || (!copy && names_std_stream(&value));
            verdicts
                .entry(name)
                .and_modify(|all| *all &= std)
                .or_insert(std);
        }
    }
    verdicts
        .into_iter()
        .filter(|&(_, std)| std)
        .map(|(name, _)| name.to_owned())
        .collect()
}

/// Whether `value` is an integer range that holds descriptor 1 or 2: `0..=2`, `0..3`, `1..2`
/// (a `for` loop over it reaches stdout or stderr).
fn range_covers_std_stream(value: &Level<'_>) -> bool {
    let number = |k: usize| value.get(k).and_then(|n| n.number());
    let dot = |k: usize| value.get(k).is_some_and(|n| n.is_punct(b'.'));
    let (Some(start), true, true) = (number(0), dot(1), dot(2)) else {
        return false;
    };
    let inclusive = value.get(3).is_some_and(|n| n.is_punct(b'='));
    let end_at = if inclusive { 4 } else { 3 };
    let Some(end) = number(end_at).filter(|_| value.len() == end_at + 1) else {
        return false;
    };
    let covers = |fd: u64| start <= fd && (fd < end || (inclusive && fd == end));
    covers(1) || covers(2)
}

/// Whether `level` or a group in it (8 deep) holds one of the identifiers `words`.
fn mentions(level: &Level<'_>, words: &[&str]) -> bool {
    let mut stack = vec![(*level, 0)];
    while let Some((level, depth)) = stack.pop() {
        for node in level.iter() {
            if node.ident().is_some_and(|name| words.contains(&name)) {
                return true;
            }
            if let Some((_, inner)) = node.group().filter(|_| depth < 8) {
                stack.push((inner, depth + 1));
            }
        }
    }
    false
}

/// The name and value of a `let`, `const`, `static` or `for` binding starting at `i`.
fn binding_at<'a>(level: &Level<'a>, i: usize) -> Option<(&'a str, Level<'a>)> {
    let keyword = level.get(i)?;
    let is = |k: usize, f: &dyn Fn(Node<'a>) -> bool| level.get(k).is_some_and(f);
    if keyword.is_ident("for") {
        let name = level.get(i + 1)?.ident()?;
        if !is(i + 2, &|n| n.is_ident("in")) {
            return None;
        }
        let end = (i + 3..level.len())
            .find(|&k| is(k, &|n| n.group().is_some_and(|(d, _)| d == Delim::Brace)))?;
        return Some((name, level.slice(i + 3, end)));
    }
    if !(keyword.is_ident("let") || keyword.is_ident("const") || keyword.is_ident("static")) {
        return None;
    }
    let at = if is(i + 1, &|n| n.is_ident("mut")) {
        i + 2
    } else {
        i + 1
    };
    let name = level.get(at)?.ident()?;
    let end = (at..level.len())
        .find(|&k| is(k, &|n| n.is_punct(b';')))
        .unwrap_or(level.len());
    let eq = (at..end).find(|&k| is(k, &|n| n.is_punct(b'=') && !n.is_joint()))?;
    Some((name, level.slice(eq + 1, end)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::syntax::lex::lex;
    use crate::detect::syntax::paths::path_at;

    fn at_path(text: &str) -> bool {
        let lx = lex(text.to_owned());
        let top = lx.top();
        let Some((path, next)) = path_at(&top, 0) else {
            return false;
        };
        let consts = Consts::from([("PID".to_owned(), "/run/x.pid".to_owned())]);
        command(&path, top.get(next)).is_some()
            || pid_write(&path, top.get(next), &consts).is_some()
    }

    #[test]
    fn commands() {
        assert!(at_path("Command::new(\"nohup\")"));
        assert!(at_path("std::process::Command::new(\"/usr/bin/setsid\")"));
        assert!(at_path("Command::new(\"start-stop-daemon\")"));
        assert!(!at_path("Command::new(\"ls\")"));
        assert!(!at_path("Command::new(program)"));
    }

    #[test]
    fn pid_files() {
        assert!(at_path("fs::write(\"/var/run/app.pid\", id)"));
        assert!(at_path("File::create(Path::new(\"/run/app.pid\"))"));
        assert!(at_path("File::create(Path::new(PID))"));
        assert!(!at_path("fs::read_to_string(\"/run/nginx.pid\")"));
        assert!(!at_path("fs::write(\"/tmp/app.log\", x)"));
        let consts = Consts::new();
        let open = |text: &str| {
            let lx = lex(text.to_owned());
            let top = lx.top();
            let at = (0..top.len()).find(|&i| top.get(i).is_some_and(|n| n.is_ident("open")));
            pid_open(&top, at.unwrap_or(0), &consts).is_some()
        };
        assert!(open("OpenOptions::new().write(true).open(\"x.pid\")"));
        assert!(!open("File::options().read(true).open(\"x.pid\")"));
    }

    #[test]
    fn names_bound_to_a_std_stream() {
        let names = |text: &str| {
            let lx = lex(text.to_owned());
            let mut names: Vec<String> = std_stream_names(&lx.top()).into_iter().collect();
            names.sort();
            names
        };
        assert_eq!(
            names("fn f() { let out = 1; let mut err: i32 = libc::STDERR_FILENO; let log = 7; }"),
            ["err", "out"]
        );
        assert_eq!(
            names("const OUT: i32 = 1; fn f() { for t in [libc::STDOUT_FILENO, 2] { g(t) } }"),
            ["OUT", "t"]
        );
        // Bound to a stream in one function and to a file in another: not a stream anywhere.
        assert_eq!(
            names("fn f() { let mut o = unsafe { OwnedFd::from_raw_fd(1) }; let p = unsafe { OwnedFd::from_raw_fd(9) }; }"),
            ["o"]
        );
        assert!(names("fn f() { let fd = 1; } fn g() { let fd = file.as_raw_fd(); }").is_empty());
        assert!(
            names("fn f() { let saved = unsafe { libc::dup(libc::STDOUT_FILENO) }; }").is_empty()
        );
        assert!(names("fn f() { for fd in fds { g(fd) } let same = a == 1; }").is_empty());
        // A loop over a range of descriptors that holds 1 or 2.
        assert_eq!(names("fn f() { for fd in 0..=2 { g(fd) } }"), ["fd"]);
        assert_eq!(names("fn f() { for fd in 1..2 { g(fd) } }"), ["fd"]);
        assert_eq!(names("fn f() { for i in 0..3 { g(i) } }"), ["i"]);
        assert!(names("fn f() { for fd in 3..1024 { g(fd) } }").is_empty());
        assert!(names("fn f() { for fd in 0..1 { g(fd) } }").is_empty());
        assert!(names("fn f() { for fd in 0..n { g(fd) } }").is_empty());
        assert!(names("fn f() { let r = 0..3; }").is_empty());
    }

    #[test]
    fn constants() {
        let lx = lex("const PID_FILE: &str = \"/run/svcd.pid\"; static NAME: &'static str = \"x\"; const N: u8 = 1;".to_owned());
        let mut consts = Consts::new();
        string_consts(&lx.top(), &mut consts);
        assert_eq!(
            consts.get("PID_FILE").map(String::as_str),
            Some("/run/svcd.pid")
        );
        assert_eq!(consts.get("NAME").map(String::as_str), Some("x"));
        assert!(!consts.contains_key("N"));
    }
}
