//! What the detector looks for, as data: one line per API or pattern, each with its rule, why it
//! is a problem under a process manager and what to do instead. The [check](crate::detect::check) only
//! walks tokens and asks this table.
//!
//! An entry's `path` is matched as a prefix of the fully resolved path of a use: the crate entry
//! `daemonize` covers every item of that crate, `libc::fork` exactly that function. Paths are
//! written with the crate's library name (`daemonize_me`, not `daemonize-me`).

/// How an entry is recognised.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Rule {
    /// Any mention of the path (call, import, function pointer, type) is denied.
    Any,
    /// Denied when called with argument `arg` naming file descriptor 1 or 2 (stdout, stderr).
    DupOnto { arg: usize },
    /// A warning: `…Command::new("prog")` with `prog` among [`DAEMONIZING_PROGRAMS`].
    Program,
    /// A warning: a literal path ending in `.pid` passed to a function that writes files, or to
    /// `.open(…)` after a writing option.
    PidPath,
    /// Denied as the system call number passed first to `libc::syscall` (`SYS_fork`); a mention
    /// elsewhere (a seccomp deny list) is fine.
    Syscall,
    /// A warning: a direct dependency whose name says it daemonizes, unknown to the table.
    DependencyName,
    /// A call that installs a global logger, while the attribute installs its own (see
    /// [`loggers`](crate::detect::rules::loggers)).
    Installer,
    /// A server that handles SIGTERM and SIGINT itself, unless the crate hands them over (see
    /// [`signals`](crate::detect::rules::signals)).
    OwnSignals,
    /// A call that replaces the process's panic hook, unless the crate chains it (see
    /// [`panic_hooks`](crate::detect::rules::panic_hooks)).
    PanicHook,
    /// Denied by a rule over effects (see [`effects`](crate::detect::rules::effects)).
    Effect,
    /// A warning of a rule over effects, when the code cannot decide it.
    EffectHint,
}

/// One entry.
#[derive(Debug)]
pub(crate) struct Entry {
    /// The path, with the crate's library name first (for a heuristic: what it matches).
    pub path: &'static str,
    pub rule: Rule,
    /// One sentence: why a service under a process manager must not do this.
    pub why: &'static str,
    /// One sentence: what to do instead.
    pub instead: &'static str,
}

impl Entry {
    /// The rule broken, in a few words, for the first line of a message.
    pub(crate) fn short(&self) -> &'static str {
        match self.why {
            WHY_PIDFILE => "the process must not write a PID file",
            WHY_DUP | WHY_REOPEN => "the process must keep its stdout and stderr",
            _ => "the process must not daemonize",
        }
    }

    /// Whether a use is harmless in a `pre_exec` closure, in the child before it runs another
    /// program: `setsid` and `dup2` there change that child only.
    pub(crate) fn spared_before_exec(&self) -> bool {
        self.why == WHY_SETSID || self.why == WHY_DUP
    }

    /// Whether this entry creates a process as `fork` does.
    pub(crate) fn forks(&self) -> bool {
        self.why == WHY_FORK
    }

    /// Whether a finding of this entry is a warning (a heuristic that can misfire).
    pub(crate) fn is_heuristic(&self) -> bool {
        matches!(
            self.rule,
            Rule::Program | Rule::PidPath | Rule::DependencyName | Rule::EffectHint
        )
    }
}

const WHY_FORK: &str = "forking lets the parent exit while the child runs on, but the process manager (systemd, Docker, Kubernetes) owns the lifecycle: it supervises the PID it started, so it sees the service stop, or stops it";
const WHY_SETSID: &str = "a new session detaches the service from the session its process manager started it in; the process manager owns the lifecycle and its signals must reach the service";
const WHY_DAEMON: &str = "daemonizing forks, detaches and closes stdout and stderr, but the process manager owns the lifecycle and the logs: it loses the process it started and everything it prints";
const WHY_PIDFILE: &str = "a PID file tells an init script which process to watch, but the process manager owns the lifecycle and already knows the PID it started; a stale file blocks restarts";
const WHY_DUP: &str = "redirecting stdout or stderr hides the logs from the process manager, which owns the lifecycle and collects the service's output from stdout";
const WHY_PROGRAM: &str = "this program detaches what it runs from the process that started it, but the process manager owns the lifecycle and must see every process of the service";

pub(crate) const WHY_REOPEN: &str = "closing stdout or stderr and then opening a file gives the file the lowest free descriptor, the one just closed, so the logs go to the file instead of to the process manager, which owns the lifecycle and collects them from stdout";

pub(crate) const INSTEAD_FOREGROUND: &str = "run in the foreground and let the manager supervise: systemd `Type=notify` (the attribute sends READY=1), Docker's exec-form `CMD [\"/app\"]`, a Kubernetes Deployment; use `std::process::Command` for child processes";
const INSTEAD_PIDFILE: &str = "drop the PID file and run in the foreground: systemd tracks the main PID (`Type=notify`), Docker and Kubernetes track the container's process";
const INSTEAD_STDOUT: &str = "log to stdout (the attribute installs a subscriber) and let journald, `docker logs` or the Kubernetes log collector store the lines";
const WHY_NAME: &str = "its name says it daemonizes or writes PID files, and its API is not in the detector's table, so its calls cannot be checked; the process manager owns the lifecycle";
const INSTEAD_PROGRAM: &str = "run the program as a plain child (`Command::new(\"worker\")`, waited for) or as a service of its own";

const fn entry(path: &'static str, rule: Rule, why: &'static str, instead: &'static str) -> Entry {
    Entry {
        path,
        rule,
        why,
        instead,
    }
}

const fn fork(path: &'static str) -> Entry {
    entry(path, Rule::Any, WHY_FORK, INSTEAD_FOREGROUND)
}

const fn setsid(path: &'static str) -> Entry {
    entry(path, Rule::Any, WHY_SETSID, INSTEAD_FOREGROUND)
}

const fn daemon(path: &'static str) -> Entry {
    entry(path, Rule::Any, WHY_DAEMON, INSTEAD_FOREGROUND)
}

const fn pidfile(path: &'static str) -> Entry {
    entry(path, Rule::Any, WHY_PIDFILE, INSTEAD_PIDFILE)
}

const fn dup(path: &'static str, arg: usize) -> Entry {
    entry(path, Rule::DupOnto { arg }, WHY_DUP, INSTEAD_STDOUT)
}

const fn redirect(path: &'static str) -> Entry {
    entry(path, Rule::Any, WHY_DUP, INSTEAD_STDOUT)
}

/// The table. Adding an API is one line.
pub(crate) const CATALOGUE: &[Entry] = &[
    // Daemonizing crates: every item.
    daemon("daemonize"),
    daemon("daemonize_me"),
    fork("fork"),
    // PID-file crates.
    pidfile("pidlock"),
    pidfile("pidfile_rs"),
    // libc (also reached as `nix::libc`, see REEXPORTS).
    fork("libc::fork"),
    fork("libc::vfork"),
    daemon("libc::daemon"),
    setsid("libc::setsid"),
    dup("libc::dup2", 1),
    dup("libc::dup3", 1),
    // `freopen(path, mode, stdout)`: C stdio's redirect, the stream is the third argument.
    dup("libc::freopen", 2),
    // nix.
    fork("nix::unistd::fork"),
    fork("nix::unistd::ForkResult"),
    daemon("nix::unistd::daemon"),
    setsid("nix::unistd::setsid"),
    dup("nix::unistd::dup2", 1),
    dup("nix::unistd::dup3", 1),
    dup("nix::unistd::dup2_raw", 1),
    dup("nix::unistd::dup3_raw", 1),
    redirect("nix::unistd::dup2_stdout"),
    redirect("nix::unistd::dup2_stderr"),
    // rustix.
    setsid("rustix::process::setsid"),
    dup("rustix::io::dup2", 1),
    dup("rustix::io::dup3", 1),
    redirect("rustix::stdio::dup2_stdout"),
    redirect("rustix::stdio::dup2_stderr"),
    // Raw system calls standing for the functions above (x86_64 Linux has SYS_fork and
    // SYS_vfork; every Linux target has SYS_setsid). Issue shape 5.
    entry(
        "libc::SYS_fork",
        Rule::Syscall,
        WHY_FORK,
        INSTEAD_FOREGROUND,
    ),
    entry(
        "libc::SYS_vfork",
        Rule::Syscall,
        WHY_FORK,
        INSTEAD_FOREGROUND,
    ),
    entry(
        "libc::SYS_setsid",
        Rule::Syscall,
        WHY_SETSID,
        INSTEAD_FOREGROUND,
    ),
    // Daemonizing crates found in the crates.io survey (docs/design/daemonizing-crates.md).
    // daemonize-simple 0.1.7 (cargo info; src/lib.rs: `Daemonize { pid_file, … }.doit()`).
    daemon("daemonize_simple"),
    // dmon 0.2.2 (cargo info; docs.rs/dmon: `dmon::options().daemonize()`).
    daemon("dmon"),
    // parity-daemonize 0.3.0 (cargo info; docs.rs/parity-daemonize: `daemonize(pid_file)`).
    daemon("parity_daemonize"),
    // tetsy-daemonize, a fork of parity-daemonize (docs.rs: `daemonize(pid_file)`).
    daemon("tetsy_daemonize"),
    // daemonize2 0.7.0 (cargo info; docs.rs/daemonize2 0.6.2: `Daemonize::new().start()`).
    daemon("daemonize2"),
    // daemonizr 0.1.9 (cargo info; docs.rs/daemonizr: `Daemonizr::new().spawn()`).
    daemon("daemonizr"),
    // unix-daemonize 0.1.2 (cargo info; docs.rs/unix-daemonize: `daemonize_redirect`).
    daemon("unix_daemonize"),
    // daemonize-rs 0.1.0 (docs.rs/daemonize-rs: `daemonize()` forks twice).
    daemon("daemonize_rs"),
    // cf-daemonize, a fork of daemonize (docs.rs/cf-daemonize: `Daemonize::new().start()`).
    daemon("cf_daemonize"),
    // PID-file crates found in the survey.
    // pidfile2 0.1.1, whose library is `pidfile` (cargo info; its Cargo.toml `[lib] name`).
    pidfile("pidfile"),
    // filelock-rs 0.1.0-beta.2 (docs.rs/filelock-rs: module `pid`, `Pid::new(dir, name)`).
    pidfile("filelock_rs::pid"),
];

/// Packages whose library name is not the package name with `-` turned into `_`.
pub(crate) const LIBRARY_NAMES: &[(&str, &str)] = &[("pidfile2", "pidfile")];

/// Words in a dependency's package name that say it daemonizes or writes PID files; a direct
/// dependency so named that the table does not know is a warning. (Not `daemon`: the `systemd`
/// crate's `systemd::daemon::notify` serves the process manager, and a service's own packages are
/// often called `…-daemon`.)
pub(crate) const DAEMONIZING_NAME_WORDS: &[&str] = &[
    "daemonize",
    "daemonise",
    "pidfile",
    "pid-file",
    "pid_file",
    "pidlock",
];

/// The heuristics: patterns that usually mean daemonizing but can misfire, so they are warnings.
pub(crate) const HEURISTICS: &[Entry] = &[
    entry("Command::new", Rule::Program, WHY_PROGRAM, INSTEAD_PROGRAM),
    entry("a PID file", Rule::PidPath, WHY_PIDFILE, INSTEAD_PIDFILE),
    entry(
        "a dependency",
        Rule::DependencyName,
        WHY_NAME,
        INSTEAD_FOREGROUND,
    ),
];

/// Crates that re-export another crate's items under a path: `(alias prefix, canonical prefix)`.
pub(crate) const REEXPORTS: &[(&str, &str)] = &[
    ("nix::libc", "libc"),
    ("rustix::libc", "libc"),
    // dmon re-exports nix whole (docs/design/daemonizing-crates.md).
    ("dmon::nix", "nix"),
];

/// The function that makes a raw system call; its first argument is checked against
/// [`Rule::Syscall`] entries.
pub(crate) const SYSCALL: &str = "libc::syscall";

/// The crate whose symbols an `extern` block declares: `extern { fn fork(); }` is `libc::fork`.
pub(crate) const FOREIGN_CRATE: &str = "libc";

/// Programs that daemonize what they run; `Command::new` of one of them is a warning.
pub(crate) const DAEMONIZING_PROGRAMS: &[&str] = &[
    "setsid",
    "nohup",
    "start-stop-daemon",
    "daemonize",
    "daemon",
];

/// Functions (or methods) that write a file; a literal path ending in `.pid` passed to one is a
/// warning.
pub(crate) const FILE_WRITERS: &[&str] = &["write", "create", "create_new"];

/// Methods that, after `OpenOptions::write(true)`, `append(true)` or `create(true)`, write a file.
pub(crate) const OPEN_FOR_WRITE: &[&str] = &["write", "append", "create", "create_new"];

fn segments(path: &str) -> impl Iterator<Item = &str> {
    path.split("::")
}

/// Whether `prefix` (an entry path) is a prefix of `path`, segment by segment.
fn covers(prefix: &str, path: &[String]) -> bool {
    let mut count = 0;
    for (banned, used) in segments(prefix).zip(path) {
        if banned != used {
            return false;
        }
        count += 1;
    }
    count == segments(prefix).count()
}

/// The entry that `path` (resolved and canonical, crate name first) falls under, if any.
pub(crate) fn lookup(path: &[String]) -> Option<&'static Entry> {
    CATALOGUE.iter().find(|entry| covers(entry.path, path))
}

/// Whether `path` is banned in every use (not only in some calls, like `dup2`).
pub(crate) fn banned_outright(path: &[String]) -> bool {
    lookup(path).is_some_and(|entry| entry.rule == Rule::Any)
}

/// Whether `path` is banned or leads to a banned path (`nix::unistd` leads to
/// `nix::unistd::fork`).
pub(crate) fn leads_to_banned(path: &[String]) -> bool {
    CATALOGUE.iter().any(|entry| {
        covers(entry.path, path)
            || (segments(entry.path).count() > path.len()
                && segments(entry.path).zip(path).all(|(a, b)| a == b))
    })
}

/// Rewrites a re-exported prefix (`nix::libc::fork`) to its canonical form (`libc::fork`).
pub(crate) fn canonical(path: Vec<String>) -> Vec<String> {
    for (alias, target) in REEXPORTS {
        if covers(alias, &path) {
            let skip = segments(alias).count();
            let mut out: Vec<String> = segments(target).map(str::to_owned).collect();
            out.extend(path.into_iter().skip(skip));
            return out;
        }
    }
    path
}

/// The library name of a package.
pub(crate) fn library_name(package: &str) -> String {
    LIBRARY_NAMES
        .iter()
        .find(|(p, _)| *p == package)
        .map_or_else(|| package.replace('-', "_"), |(_, lib)| (*lib).to_owned())
}

/// Whether a crate (by library name, `-` already turned into `_`) is banned as a whole.
pub(crate) fn banned_crate(lib_name: &str) -> Option<&'static Entry> {
    CATALOGUE
        .iter()
        .find(|entry| !entry.path.contains("::") && entry.path == lib_name)
}

/// The entry of the foreign crate's symbol (`fork`, `vfork`, …) an `extern` block declares.
pub(crate) fn foreign_symbol(symbol: &str) -> Option<&'static Entry> {
    CATALOGUE.iter().find(|entry| {
        entry
            .path
            .strip_prefix(FOREIGN_CRATE)
            .and_then(|rest| rest.strip_prefix("::"))
            == Some(symbol)
    })
}

/// The heuristic entry with rule `rule`.
pub(crate) fn heuristic(rule: Rule) -> Option<&'static Entry> {
    HEURISTICS.iter().find(|entry| entry.rule == rule)
}

/// The identifiers that can be part of a banned path or a heuristic's match: every segment of
/// every entry, and the daemonizing programs.
/// The rules over effects add theirs (see [`names`](crate::detect::rules::names)).
pub(crate) fn names() -> impl Iterator<Item = &'static str> {
    CATALOGUE
        .iter()
        .flat_map(|entry| segments(entry.path))
        .chain(DAEMONIZING_PROGRAMS.iter().copied())
}

/// The crates whose items are spelled by their last segment in real code (`use libc::*;` then
/// `fork()`); for any other crate's entry the crate name is the rarer, and as sure, word.
const SPELLED_BY_ITEM: &[&str] = &["libc", "nix", "rustix"];

/// The word that any source mentioning `path` must contain.
fn word_of(path: &'static str) -> &'static str {
    let first = segments(path).next().unwrap_or(path);
    match SPELLED_BY_ITEM.contains(&first) {
        true => segments(path).last().unwrap_or(path),
        false => first,
    }
}

/// Words that any source mentioning a banned API must contain, for the
/// [prefilter](crate::detect::source::prefilter).
/// `extra` are other tables' words (the rules over effects').
pub(crate) fn words_with(extra: &[&'static str]) -> Vec<&'static str> {
    let mut words: Vec<&'static str> = CATALOGUE.iter().map(|entry| word_of(entry.path)).collect();
    words.extend(DAEMONIZING_PROGRAMS);
    words.extend(extra);
    words.sort_unstable();
    words.dedup();
    // A word containing a shorter word adds nothing to a substring search.
    let all = words.clone();
    words.retain(|word| {
        !all.iter()
            .any(|other| other != word && word.contains(other))
    });
    // Not a name: judged apart from the names (a `.pid"` is no field access).
    words.push(".pid\"");
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(text: &str) -> Vec<String> {
        text.split("::").map(str::to_owned).collect()
    }

    #[test]
    fn prefix_matching() {
        assert_eq!(
            lookup(&path("libc::fork")).map(|e| e.path),
            Some("libc::fork")
        );
        assert_eq!(
            lookup(&path("daemonize::Daemonize::new")).map(|e| e.path),
            Some("daemonize")
        );
        assert!(lookup(&path("libc::forkpty")).is_none());
        assert!(lookup(&path("libc")).is_none());
        assert!(lookup(&path("nix::unistd")).is_none());
        assert!(lookup(&path("forklift::run")).is_none());
        assert!(leads_to_banned(&path("nix::unistd")));
        assert!(leads_to_banned(&path("libc::fork")));
        assert!(!leads_to_banned(&path("libc::Ok")));
    }

    #[test]
    fn reexports() {
        assert_eq!(canonical(path("nix::libc::fork")), path("libc::fork"));
        assert_eq!(
            canonical(path("nix::unistd::fork")),
            path("nix::unistd::fork")
        );
    }

    #[test]
    fn words_cover_every_entry() {
        let words = words_with(&[]);
        for entry in CATALOGUE {
            let word = word_of(entry.path);
            assert!(words.iter().any(|w| word.contains(w)), "{word}");
        }
        assert!(words.contains(&".pid\"") && !words.contains(&"pid"));
        assert!(words.contains(&"fork") && !words.contains(&"vfork"));
    }

    #[test]
    fn foreign_symbols() {
        assert!(foreign_symbol("fork").is_some());
        assert!(foreign_symbol("dup2").is_some());
        assert!(foreign_symbol("freopen").is_some());
        assert!(foreign_symbol("getpid").is_none());
    }
}
