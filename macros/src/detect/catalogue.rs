//! The banned APIs, as data: one line per API, with why it is banned and what to do instead.
//!
//! An entry's `path` is matched as a prefix of the fully resolved path of a use: the crate entry
//! `daemonize` bans every item of that crate, `libc::fork` bans exactly that function. Paths are
//! written with the crate's library name (`daemonize_me`, not `daemonize-me`).

/// How a banned API is recognised.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Any mention (call, import, function pointer, type) is denied.
    Any,
    /// Denied when called with argument `arg` naming file descriptor 1 or 2 (stdout, stderr).
    DupOnto { arg: usize },
}

/// One banned API.
#[derive(Debug)]
pub(crate) struct Entry {
    /// The path, with the crate's library name first.
    pub path: &'static str,
    pub kind: Kind,
    /// One sentence: why a service under a process manager must not do this.
    pub why: &'static str,
    /// One sentence: what to do instead.
    pub instead: &'static str,
}

const WHY_FORK: &str = "forking lets the parent exit while the child runs on, but the process manager (systemd, Docker, Kubernetes) owns the lifecycle: it supervises the PID it started, so it sees the service stop, or stops it";
const WHY_SETSID: &str = "a new session detaches the service from the session its process manager started it in; the process manager owns the lifecycle and its signals must reach the service";
const WHY_DAEMON: &str = "daemonizing forks, detaches and closes stdout and stderr, but the process manager owns the lifecycle and the logs: it loses the process it started and everything it prints";
const WHY_PIDFILE: &str = "a PID file tells an init script which process to watch, but the process manager owns the lifecycle and already knows the PID it started; a stale file blocks restarts";
const WHY_DUP: &str = "redirecting stdout or stderr hides the logs from the process manager, which owns the lifecycle and collects the service's output from stdout";

const INSTEAD_FOREGROUND: &str = "run in the foreground and let the manager supervise: systemd `Type=notify` (the attribute sends READY=1), Docker's exec-form `CMD [\"/app\"]`, a Kubernetes Deployment; use `std::process::Command` for child processes";
const INSTEAD_PIDFILE: &str = "drop the PID file and run in the foreground: systemd tracks the main PID (`Type=notify`), Docker and Kubernetes track the container's process";
const INSTEAD_STDOUT: &str = "log to stdout (the attribute installs a subscriber) and let journald, `docker logs` or the Kubernetes log collector store the lines";

/// Shorthand for an [`Entry`] of kind [`Kind::Any`].
const fn any(path: &'static str, why: &'static str, instead: &'static str) -> Entry {
    Entry {
        path,
        kind: Kind::Any,
        why,
        instead,
    }
}

/// Shorthand for an [`Entry`] of kind [`Kind::DupOnto`]; `arg` is the target descriptor's index.
const fn dup(path: &'static str, arg: usize) -> Entry {
    Entry {
        path,
        kind: Kind::DupOnto { arg },
        why: WHY_DUP,
        instead: INSTEAD_STDOUT,
    }
}

/// The table. Adding an API is one line.
pub(crate) const CATALOGUE: &[Entry] = &[
    // Daemonizing crates: every item.
    any("daemonize", WHY_DAEMON, INSTEAD_FOREGROUND),
    any("daemonize_me", WHY_DAEMON, INSTEAD_FOREGROUND),
    any("fork", WHY_FORK, INSTEAD_FOREGROUND),
    // PID-file crates.
    any("pidlock", WHY_PIDFILE, INSTEAD_PIDFILE),
    any("pidfile_rs", WHY_PIDFILE, INSTEAD_PIDFILE),
    // libc (also reached as `nix::libc`, see REEXPORTS).
    any("libc::fork", WHY_FORK, INSTEAD_FOREGROUND),
    any("libc::vfork", WHY_FORK, INSTEAD_FOREGROUND),
    any("libc::daemon", WHY_DAEMON, INSTEAD_FOREGROUND),
    any("libc::setsid", WHY_SETSID, INSTEAD_FOREGROUND),
    dup("libc::dup2", 1),
    dup("libc::dup3", 1),
    // nix.
    any("nix::unistd::fork", WHY_FORK, INSTEAD_FOREGROUND),
    any("nix::unistd::ForkResult", WHY_FORK, INSTEAD_FOREGROUND),
    any("nix::unistd::daemon", WHY_DAEMON, INSTEAD_FOREGROUND),
    any("nix::unistd::setsid", WHY_SETSID, INSTEAD_FOREGROUND),
    dup("nix::unistd::dup2", 1),
    dup("nix::unistd::dup3", 1),
    dup("nix::unistd::dup2_raw", 1),
    dup("nix::unistd::dup3_raw", 1),
    any("nix::unistd::dup2_stdout", WHY_DUP, INSTEAD_STDOUT),
    any("nix::unistd::dup2_stderr", WHY_DUP, INSTEAD_STDOUT),
    // rustix.
    any("rustix::process::setsid", WHY_SETSID, INSTEAD_FOREGROUND),
    any("rustix::stdio::dup2_stdout", WHY_DUP, INSTEAD_STDOUT),
    any("rustix::stdio::dup2_stderr", WHY_DUP, INSTEAD_STDOUT),
];

/// Crates that re-export another crate's items under a path: `(alias prefix, canonical prefix)`.
pub(crate) const REEXPORTS: &[(&str, &str)] = &[("nix::libc", "libc"), ("rustix::libc", "libc")];

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

/// The entry that `path` (resolved and canonical, crate name first) falls under, if any.
pub(crate) fn lookup(path: &[String]) -> Option<&'static Entry> {
    CATALOGUE.iter().find(|entry| {
        let mut segments = entry.path.split("::");
        let matched = segments
            .by_ref()
            .zip(path)
            .all(|(banned, used)| banned == used.as_str());
        matched && segments.next().is_none() && entry.path.split("::").count() <= path.len()
    })
}

/// Rewrites a re-exported prefix (`nix::libc::fork`) to its canonical form (`libc::fork`).
pub(crate) fn canonical(path: Vec<String>) -> Vec<String> {
    for (alias, target) in REEXPORTS {
        let alias: Vec<&str> = alias.split("::").collect();
        if path.len() >= alias.len() && path.iter().zip(&alias).all(|(a, b)| a == b) {
            let mut out: Vec<String> = target.split("::").map(str::to_owned).collect();
            out.extend(path.into_iter().skip(alias.len()));
            return out;
        }
    }
    path
}

/// Whether a crate (by library name, `-` already turned into `_`) is banned as a whole.
pub(crate) fn banned_crate(lib_name: &str) -> Option<&'static Entry> {
    CATALOGUE
        .iter()
        .find(|entry| !entry.path.contains("::") && entry.path == lib_name)
}

/// The symbol names of the foreign crate's banned functions (`fork`, `vfork`, …), with the entry.
pub(crate) fn foreign_symbol(symbol: &str) -> Option<&'static Entry> {
    CATALOGUE.iter().find(|entry| {
        entry
            .path
            .strip_prefix(FOREIGN_CRATE)
            .and_then(|rest| rest.strip_prefix("::"))
            == Some(symbol)
    })
}

/// Words that any source mentioning a banned API must contain (an API's last path segment,
/// or a banned crate's name), for the [prefilter](super::prefilter).
pub(crate) fn words() -> Vec<&'static str> {
    let mut words: Vec<&'static str> = CATALOGUE
        .iter()
        .filter_map(|entry| entry.path.rsplit("::").next())
        .collect();
    words.extend(DAEMONIZING_PROGRAMS);
    words.push(".pid\"");
    words.sort_unstable();
    words.dedup();
    // A word containing a shorter word adds nothing to a substring search.
    let all = words.clone();
    words.retain(|word| {
        !all.iter()
            .any(|other| other != word && word.contains(other))
    });
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
        let words = words();
        for entry in CATALOGUE {
            let last = entry.path.rsplit("::").next().unwrap_or("");
            assert!(words.iter().any(|w| last.contains(w)), "{last}");
        }
        assert!(words.contains(&"fork") && !words.contains(&"vfork"));
    }

    #[test]
    fn foreign_symbols() {
        assert!(foreign_symbol("fork").is_some());
        assert!(foreign_symbol("dup2").is_some());
        assert!(foreign_symbol("getpid").is_none());
    }
}
