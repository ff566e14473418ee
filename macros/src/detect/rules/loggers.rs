//! Global logger installers: calls that set the process-wide tracing subscriber or `log`
//! logger. Unless the attribute says `log = "off"`, the runtime installs its own subscriber and
//! routes `log` records into it, and a second global subscriber cannot be set: `.init()` panics
//! ("a global default trace dispatcher has already been set") and `try_init` or
//! `set_global_default` return an error the service did not expect. So these are compile errors
//! while the attribute logs, and nothing when it does not.
//!
//! The rule: a call whose path resolves into one of [`INSTALLERS`] and names one of its installing
//! functions (`env_logger::init()`, `LogTracer::init()`), or a method chain that starts at such a
//! path and calls one of them (`tracing_subscriber::fmt().with_target(false).init()`,
//! `FmtSubscriber::builder()….init()`); and, in a file that imports tracing-subscriber's
//! `SubscriberInitExt` (directly, or through `prelude::*` or `util::*`), any `.init()` or
//! `.try_init()` method call, since that trait is what gives a subscriber held in a variable its
//! `init`. A `.init()` on anything else (`rand::init()`, a user's `Config::init()`) is never one.
//!
//! Sources: the setup shown in each crate's own documentation and in public services' `main`
//! (tokio's and axum's examples, mini-redis-style servers, hyper's examples).

use crate::detect::rules::catalogue::{Entry, Rule};

/// A crate (or function) that installs a global logger, and the names of its installing calls.
pub(crate) struct Installer {
    /// The path prefix, crate library name first.
    pub prefix: &'static str,
    /// The installing functions or methods under it; empty when calling the path itself
    /// installs (`log::set_logger`).
    pub calls: &'static [&'static str],
}

const fn installer(prefix: &'static str, calls: &'static [&'static str]) -> Installer {
    Installer { prefix, calls }
}

/// The table. Adding a crate is one line.
pub(crate) const INSTALLERS: &[Installer] = &[
    // tracing-subscriber: `fmt::init()`, `fmt()….init()`, `registry().with(…).init()`,
    // `FmtSubscriber::builder()….init()`, `Registry::default()….try_init()`.
    installer("tracing_subscriber", &["init", "try_init"]),
    // tracing itself, and tracing-core under it.
    installer("tracing::subscriber::set_global_default", &[]),
    installer("tracing::dispatcher::set_global_default", &[]),
    installer("tracing_core::dispatcher::set_global_default", &[]),
    // tracing-log: the runtime already bridges `log` with its own LogTracer.
    installer("tracing_log::LogTracer", &["init", "init_with_filter"]),
    // tokio-console's subscriber.
    installer("console_subscriber", &["init"]),
    // `log` loggers: the `log` crate's own setters and the common logger crates.
    installer("log::set_logger", &[]),
    installer("log::set_boxed_logger", &[]),
    installer("log::set_logger_racy", &[]),
    installer(
        "env_logger",
        &["init", "try_init", "init_from_env", "try_init_from_env"],
    ),
    installer(
        "pretty_env_logger",
        &[
            "init",
            "try_init",
            "init_timed",
            "try_init_timed",
            "init_custom_env",
            "try_init_custom_env",
        ],
    ),
    installer(
        "simple_logger",
        &["init", "init_with_level", "init_with_env", "init_utc"],
    ),
    installer("simplelog", &["init"]),
    installer("stderrlog", &["init"]),
    installer("fern", &["apply"]),
    installer("flexi_logger", &["start", "start_with_specfile"]),
    installer("log4rs", &["init_file", "init_config", "init_raw_config"]),
    installer(
        "syslog",
        &[
            "init",
            "init_unix",
            "init_unix_custom",
            "init_tcp",
            "init_udp",
        ],
    ),
    installer("systemd_journal_logger", &["install"]),
];

/// The methods that `SubscriberInitExt` gives a subscriber.
pub(crate) const INIT_EXT_METHODS: &[&str] = &["init", "try_init"];

/// The paths whose import brings `SubscriberInitExt` into scope (a glob of the last two).
pub(crate) const INIT_EXT: &[&str] = &[
    "tracing_subscriber::util::SubscriberInitExt",
    "tracing_subscriber::prelude",
    "tracing_subscriber::util",
];

/// The one entry every installer finding reports.
pub(crate) const ENTRY: Entry = Entry {
    path: "a global logger",
    rule: Rule::Installer,
    why: "the attribute installs the process's global tracing subscriber itself (lines to stdout, filtered by `RUST_LOG`) and routes `log` records into it; only one global subscriber or logger can be set, so this call fails or panics when the service starts",
    instead: "delete the call: the attribute already logs to stdout and `RUST_LOG` still filters; or keep your own subscriber and turn the attribute's off with `#[twelve_factor::main(log = \"off\")]`",
};

fn covers(prefix: &str, path: &[String]) -> bool {
    let count = prefix.split("::").count();
    path.len() >= count && prefix.split("::").zip(path).all(|(a, b)| a == b)
}

/// The installer that `path` (resolved, crate name first) falls under.
pub(crate) fn installer_of(path: &[String]) -> Option<&'static Installer> {
    INSTALLERS.iter().find(|i| covers(i.prefix, path))
}

/// Whether calling `path` itself installs a logger (`env_logger::init`, `log::set_logger`).
pub(crate) fn installs(installer: &Installer, path: &[String]) -> bool {
    let exact = installer.prefix.split("::").count() == path.len();
    match installer.calls {
        [] => exact,
        calls => path
            .last()
            .is_some_and(|last| calls.contains(&last.as_str())),
    }
}

/// Whether importing `path` brings `SubscriberInitExt` into scope.
pub(crate) fn brings_init_ext(path: &[String], glob: bool) -> bool {
    let joined = path.join("::");
    match glob {
        true => INIT_EXT.contains(&joined.as_str()),
        false => INIT_EXT.first() == Some(&joined.as_str()),
    }
}

/// Words that any file installing a logger must contain, for the prefilter: few and short, so
/// one search covers several crates (`logger` for `env_logger`, `simple_logger`, `log::set_logger`…).
pub(crate) const WORDS: &[&str] = &[
    "subscriber",
    "set_global_default",
    "LogTracer",
    "tracing_log",
    "logger",
    "simplelog",
    "stderrlog",
    "syslog",
    "fern",
    "log4rs",
];

/// The identifiers around a hit that count (a word found inside another name does not): every
/// segment of every installer path but the crates everybody uses (`log`, `tracing`).
pub(crate) fn names() -> impl Iterator<Item = &'static str> {
    INSTALLERS
        .iter()
        .flat_map(|i| i.prefix.split("::"))
        .filter(|name| {
            !matches!(
                *name,
                "log" | "tracing" | "tracing_core" | "subscriber" | "dispatcher"
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(text: &str) -> Vec<String> {
        text.split("::").map(str::to_owned).collect()
    }

    #[test]
    fn installing_calls() {
        let fmt_init = path("tracing_subscriber::fmt::init");
        let i = installer_of(&fmt_init).expect("tracing_subscriber");
        assert!(installs(i, &fmt_init));
        assert!(!installs(i, &path("tracing_subscriber::fmt")));
        let set = path("log::set_logger");
        assert!(installer_of(&set).is_some_and(|i| installs(i, &set)));
        assert!(installer_of(&path("log::info")).is_none());
        assert!(installer_of(&path("tracing::info")).is_none());
        assert!(installer_of(&path("rand::init")).is_none());
    }

    #[test]
    fn words_cover_every_installer() {
        let names: Vec<&str> = names().collect();
        for i in INSTALLERS {
            let found = i.prefix.split("::").any(|segment| {
                names.contains(&segment) && WORDS.iter().any(|word| segment.contains(word))
            });
            assert!(found, "{}", i.prefix);
        }
        assert!(!names.contains(&"log") && !names.contains(&"tracing"));
    }
}
