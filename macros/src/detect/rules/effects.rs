//! Effects, as data: the calls that do nothing wrong alone but daemonize together within one
//! function (close stdout, then open a file; re-spawn the program detached, then never wait for
//! it), the `clone` calls whose flags decide between a thread and a new process, and the API
//! shapes of daemonizing crates the [catalogue](crate::detect::rules::catalogue) does not list.
//! The [check](crate::detect::check) records these effects per function and judges them there.

use crate::detect::rules::catalogue::{Entry, Rule, WHY_REOPEN};

/// What a call does, as far as the rules over effects care.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Effect {
    /// Closes the descriptor in its first argument (`close(1)` frees stdout's slot).
    Close,
    /// Opens a descriptor, which takes the lowest free slot (`open`, `File::create`, `dup`).
    Open,
    /// Ends the process.
    Exit,
    /// Names the running program's own executable.
    SelfExe,
    /// Waits for a child.
    Wait,
    /// Replaces the process's program (`execv`): after a fork, the child runs another program.
    Exec,
    /// Detaches a child's standard streams from the service's.
    Detach,
    /// `clone`: a thread or a new process, depending on its flags (argument `flags`, or a
    /// `flags:` field for `clone3`); `number`: a system call number passed to `syscall`.
    Clone { flags: Option<usize>, number: bool },
}

/// Paths (prefixes, canonical, crate first) and their effect.
pub(crate) const PATHS: &[(&str, Effect)] = &[
    ("libc::close", Effect::Close),
    ("nix::unistd::close", Effect::Close),
    ("rustix::io::close", Effect::Close),
    ("libc::open", Effect::Open),
    ("libc::open64", Effect::Open),
    ("libc::openat", Effect::Open),
    ("libc::creat", Effect::Open),
    ("libc::dup", Effect::Open),
    ("libc::socket", Effect::Open),
    ("nix::fcntl::open", Effect::Open),
    ("nix::fcntl::openat", Effect::Open),
    ("nix::unistd::dup", Effect::Open),
    ("rustix::fs::open", Effect::Open),
    ("rustix::fs::openat", Effect::Open),
    ("std::fs::File", Effect::Open),
    ("std::fs::OpenOptions", Effect::Open),
    ("tokio::fs::File", Effect::Open),
    ("tokio::fs::OpenOptions", Effect::Open),
    ("std::process::exit", Effect::Exit),
    ("std::process::abort", Effect::Exit),
    ("libc::exit", Effect::Exit),
    ("libc::_exit", Effect::Exit),
    ("nix::unistd::_exit", Effect::Exit),
    ("std::env::current_exe", Effect::SelfExe),
    ("libc::execv", Effect::Exec),
    ("libc::execve", Effect::Exec),
    ("libc::execvp", Effect::Exec),
    ("libc::execvpe", Effect::Exec),
    ("libc::execl", Effect::Exec),
    ("libc::execle", Effect::Exec),
    ("libc::execlp", Effect::Exec),
    ("libc::fexecve", Effect::Exec),
    ("nix::unistd::execv", Effect::Exec),
    ("nix::unistd::execve", Effect::Exec),
    ("nix::unistd::execvp", Effect::Exec),
    ("nix::unistd::execvpe", Effect::Exec),
    ("nix::unistd::fexecve", Effect::Exec),
    ("nix::unistd::execveat", Effect::Exec),
    ("libc::wait", Effect::Wait),
    ("libc::waitpid", Effect::Wait),
    ("nix::sys::wait::wait", Effect::Wait),
    ("nix::sys::wait::waitpid", Effect::Wait),
    ("std::process::Stdio::null", Effect::Detach),
    ("tokio::process::Stdio::null", Effect::Detach),
    (
        "libc::clone",
        Effect::Clone {
            flags: Some(2),
            number: false,
        },
    ),
    (
        "nix::sched::clone",
        Effect::Clone {
            flags: Some(2),
            number: false,
        },
    ),
    (
        "libc::SYS_clone",
        Effect::Clone {
            flags: Some(1),
            number: true,
        },
    ),
    (
        "libc::SYS_clone3",
        Effect::Clone {
            flags: None,
            number: true,
        },
    ),
];

/// `std::env::args()` (or `args_os`) followed by `.next()` or `.nth(0)` is the program's own path.
pub(crate) const ARGS: &[&str] = &["std::env::args", "std::env::args_os"];

/// Methods that spawn a child.
pub(crate) const SPAWN_METHODS: &[&str] = &["spawn"];

/// Methods that wait for a child (or run it to completion).
pub(crate) const WAIT_METHODS: &[&str] =
    &["wait", "status", "output", "wait_with_output", "try_wait"];

/// Methods that put a child in a process group of its own.
pub(crate) const DETACH_METHODS: &[&str] = &["process_group", "setsid"];

/// Methods of a value that end a spawn's chain without keeping the child (`spawn()?.id()`).
pub(crate) const DROPS_CHILD: &[&str] = &["id"];

/// The `clone` flags that make a thread (shared memory) rather than a process: their names and
/// bits (`CLONE_VM` 0x100, `CLONE_THREAD` 0x10000).
pub(crate) const THREAD_FLAGS: &[&str] = &["CLONE_VM", "CLONE_THREAD"];
pub(crate) const THREAD_BITS: u64 = 0x100 | 0x1_0000;

/// Words that may stand in a `clone` flags expression the detector can read, besides `CLONE_*`
/// and `SIG*` constants, integers and operators.
pub(crate) const FLAG_WORDS: &[&str] = &[
    "libc",
    "nix",
    "sched",
    "signal",
    "Signal",
    "CloneFlags",
    "as",
    "c_int",
    "c_ulong",
    "c_long",
    "i32",
    "u32",
    "i64",
    "u64",
    "usize",
    "bits",
    "from_bits_truncate",
    "from_bits_retain",
    "empty",
    "union",
    "Some",
    "None",
    "core",
    "std",
];

/// Names that daemonizing crates give their API (`Daemonize::new().start()`, `daemonize()`): a
/// path into any external crate with such a segment is denied, listed in the catalogue or not.
pub(crate) const SHAPES: &[&str] = &["Daemonize", "Daemonise", "daemonize", "daemonise"];

/// Words that make a file worth checking for these rules (besides the catalogue's): names, and
/// text that is not a name (`.process_group(`, `[<` of `paste!`, `::$` of a macro body).
pub(crate) const WORDS: &[&str] = &[
    "close",
    "current_exe",
    ".process_group(",
    "args().next()",
    "args_os().next()",
    "SYS_clone",
    "sched::clone",
    "libc::clone",
    "::$",
    "[<",
    "Daemonize",
    "Daemonise",
    "daemonise",
];

/// The identifiers among [`WORDS`] (a hit inside a longer name does not count).
pub(crate) const NAMES: &[&str] = &[
    "close",
    "current_exe",
    "SYS_clone",
    "SYS_clone3",
    "Daemonize",
    "Daemonise",
    "daemonise",
];

const WHY_CLONE: &str = "`clone` without `CLONE_VM` or `CLONE_THREAD` creates a process, as fork does, and the process manager (systemd, Docker, Kubernetes) owns the lifecycle: it supervises the PID it started";
const WHY_CLONE_UNREAD: &str = "the detector cannot read the flags of this `clone` where it is called; without `CLONE_VM` or `CLONE_THREAD` it creates a process, as fork does, outside the process manager's supervision";
const WHY_RESPAWN: &str = "the program starts a copy of itself, detached (its own process group or session, or no stdout), and never waits for it: the copy runs on as a daemon while the process manager, which owns the lifecycle, sees only the parent";
const WHY_RESPAWN_KEPT: &str = "the program starts a copy of itself, detached (its own process group or session, or no stdout), and this function does not wait for it; unless it is waited for elsewhere, the copy runs on as a daemon beside the process manager, which owns the lifecycle";
const WHY_SHAPE: &str = "a crate's `Daemonize` type or `daemonize` function forks, detaches and closes stdout and stderr even when the crate is not in the detector's table, but the process manager owns the lifecycle and the logs";

const INSTEAD_REOPEN: &str = "keep descriptors 1 and 2 as the process manager gave them and log to stdout (the attribute installs a subscriber)";
const INSTEAD_THREAD: &str = "use `std::thread::spawn` for concurrency, or `std::process::Command` for a child that the service waits for";
const INSTEAD_RESPAWN: &str = "run the work in this process, or keep the child attached and wait for it (`child.wait()`, `.status()`); let the process manager start separate process types";

/// Denied: descriptor 0, 1 or 2 closed, then a descriptor opened, in one function.
pub(crate) const REOPEN: Entry = entry(Rule::Effect, WHY_REOPEN, INSTEAD_REOPEN);
/// Denied: `clone` whose flags make a process.
pub(crate) const CLONE: Entry = entry(Rule::Effect, WHY_CLONE, INSTEAD_THREAD);
/// Warned: `clone` whose flags cannot be read.
pub(crate) const CLONE_UNREAD: Entry = entry(Rule::EffectHint, WHY_CLONE_UNREAD, INSTEAD_THREAD);
/// Denied: the program re-spawned detached, then dropped (or the parent exits).
pub(crate) const RESPAWN: Entry = entry(Rule::Effect, WHY_RESPAWN, INSTEAD_RESPAWN);
/// Warned: the program re-spawned detached, the child kept but not waited for here.
pub(crate) const RESPAWN_KEPT: Entry = entry(Rule::EffectHint, WHY_RESPAWN_KEPT, INSTEAD_RESPAWN);
/// Denied: a daemonizing crate's API shape.
pub(crate) const SHAPE: Entry = entry(
    Rule::Effect,
    WHY_SHAPE,
    crate::detect::rules::catalogue::INSTEAD_FOREGROUND,
);

const fn entry(rule: Rule, why: &'static str, instead: &'static str) -> Entry {
    Entry {
        path: "",
        rule,
        why,
        instead,
    }
}

/// Every entry of this file, for the catalogue's checks on sentences.
#[cfg(test)]
pub(crate) const ENTRIES: &[&Entry] = &[
    &REOPEN,
    &CLONE,
    &CLONE_UNREAD,
    &RESPAWN,
    &RESPAWN_KEPT,
    &SHAPE,
];

fn covers(prefix: &str, path: &[String]) -> bool {
    let segments: Vec<&str> = prefix.split("::").collect();
    segments.len() <= path.len() && segments.iter().zip(path).all(|(a, b)| a == b)
}

/// The effect of the resolved path `path`, if any.
pub(crate) fn effect_of(path: &[String]) -> Option<Effect> {
    PATHS
        .iter()
        .find(|(prefix, _)| covers(prefix, path))
        .map(|(_, effect)| *effect)
}

/// Whether the resolved `path` is `std::env::args` or `args_os`.
pub(crate) fn is_args(path: &[String]) -> bool {
    ARGS.iter()
        .any(|prefix| covers(prefix, path) && path.len() == 3)
}

/// The segment of an external `path` that has a daemonizing crate's shape, if any (never the
/// crate's name itself: that is the manifest check's).
pub(crate) fn shape_of(path: &[String]) -> Option<&str> {
    path.iter()
        .skip(1)
        .map(String::as_str)
        .find(|seg| SHAPES.contains(seg))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::rules::catalogue;

    /// Across the catalogue and these rules: no sentence repeats or contains another.
    #[test]
    fn no_sentence_is_written_twice() {
        let all: Vec<&str> = catalogue::CATALOGUE
            .iter()
            .chain(catalogue::HEURISTICS)
            .chain(ENTRIES.iter().copied())
            .flat_map(|e| [e.why, e.instead])
            .collect();
        for (i, a) in all.iter().enumerate() {
            for b in &all[i + 1..] {
                assert!(a == b || !a.contains(b) && !b.contains(a), "{a} / {b}");
            }
        }
    }

    fn path(text: &str) -> Vec<String> {
        text.split("::").map(str::to_owned).collect()
    }

    #[test]
    fn effects_by_prefix() {
        assert_eq!(effect_of(&path("libc::close")), Some(Effect::Close));
        assert_eq!(
            effect_of(&path("std::fs::File::create")),
            Some(Effect::Open)
        );
        assert_eq!(effect_of(&path("libc::closefrom")), None);
        assert!(matches!(
            effect_of(&path("libc::SYS_clone3")),
            Some(Effect::Clone { flags: None, .. })
        ));
        assert!(is_args(&path("std::env::args")) && !is_args(&path("std::env::var")));
        assert_eq!(
            shape_of(&path("daemonise::Daemonize::new")),
            Some("Daemonize")
        );
        assert_eq!(shape_of(&path("systemd::daemon::notify")), None);
    }

    #[test]
    fn names_are_words() {
        for name in NAMES {
            assert!(WORDS.iter().any(|w| name.contains(w)), "{name}");
        }
    }
}
