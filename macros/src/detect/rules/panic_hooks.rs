//! Panic hook installers. The attribute installs a panic hook that logs every panic (in `main`,
//! a task, a handler, a thread) as an error event on stdout, with its message, location and
//! thread. `std::panic::set_hook` and the crates that call it (`color_eyre::install()`,
//! `human_panic::setup_panic!()`, `better_panic::install()`) replace that hook without a word:
//! panics then go to stderr only, unseen by a log collector reading stdout.
//!
//! The rule: a call whose path resolves into one of [`INSTALLERS`] and names one of its
//! installing functions, or a method chain from it that calls one
//! (`HookBuilder::default().display_env_section(false).install()`), unless the crate calls
//! `take_hook` anywhere: a service that takes the current hook first can chain it (call ours,
//! then its own). The check is crate-wide, like the servers' cures.
//!
//! Sources: std's `panic` module, and the setup shown in color-eyre's, human-panic's and
//! better-panic's documentation and in public services' `main`.

use crate::detect::rules::catalogue::{Entry, Rule};
use crate::detect::rules::loggers::Installer;

const fn installer(prefix: &'static str, calls: &'static [&'static str]) -> Installer {
    Installer { prefix, calls }
}

/// The table. Adding a crate is one line.
pub(crate) const INSTALLERS: &[Installer] = &[
    installer("std::panic::set_hook", &[]),
    installer("std::panic::update_hook", &[]),
    // `color_eyre::install()`, `HookBuilder::default()….install()`; `into_hooks()` is the way
    // to keep ours (see the entry's fix).
    installer("color_eyre::install", &[]),
    installer("color_eyre::config::HookBuilder", &["install"]),
    installer("color_eyre::config::PanicHook", &["install"]),
    installer("human_panic::setup_panic", &[]),
    installer("better_panic::install", &[]),
    installer("better_panic::debug_install", &[]),
    installer("better_panic::Settings", &["install"]),
];

/// Calling one of these anywhere in the crate takes the current hook to chain it.
pub(crate) const CURES: &[&str] = &["take_hook"];

/// The one entry every panic hook finding reports.
pub(crate) const ENTRY: Entry = Entry {
    path: "a panic hook",
    rule: Rule::PanicHook,
    why: "the attribute's panic hook logs every panic (in `main`, tasks, handlers, threads) as an error event on stdout; this call replaces it, so panics reach stderr only, where a log collector reading stdout never sees them",
    instead: "keep ours and chain yours: `let ours = std::panic::take_hook(); std::panic::set_hook(Box::new(move |info| { ours(info); /* yours */ }))`; for color-eyre, `let (panic_hook, eyre_hook) = color_eyre::config::HookBuilder::default().into_hooks(); eyre_hook.install()?;` then chain `panic_hook.panic_report(info)` the same way",
};

fn covers(prefix: &str, path: &[String]) -> bool {
    let count = prefix.split("::").count();
    path.len() >= count && prefix.split("::").zip(path).all(|(a, b)| a == b)
}

/// The installer that `path` (resolved, crate name first) falls under.
pub(crate) fn installer_of(path: &[String]) -> Option<&'static Installer> {
    INSTALLERS.iter().find(|i| covers(i.prefix, path))
}

/// Words that any file installing a panic hook must contain, for the prefilter.
pub(crate) const WORDS: &[&str] = &[
    "set_hook",
    "update_hook",
    "eyre",
    "human_panic",
    "better_panic",
];

/// The identifiers around a hit that count.
pub(crate) fn names() -> impl Iterator<Item = &'static str> {
    INSTALLERS
        .iter()
        .flat_map(|i| i.prefix.split("::"))
        .filter(|name| !matches!(*name, "std" | "panic" | "config" | "install"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::rules::loggers::installs;

    fn path(text: &str) -> Vec<String> {
        text.split("::").map(str::to_owned).collect()
    }

    #[test]
    fn installing_calls() {
        let set = path("std::panic::set_hook");
        assert!(installer_of(&set).is_some_and(|i| installs(i, &set)));
        let take = path("std::panic::take_hook");
        assert!(installer_of(&take).is_none());
        let eyre = path("color_eyre::install");
        assert!(installer_of(&eyre).is_some_and(|i| installs(i, &eyre)));
        let builder = path("color_eyre::config::HookBuilder::default");
        assert!(installer_of(&builder).is_some_and(|i| !installs(i, &builder)));
        assert!(installer_of(&path("color_eyre::eyre::Result")).is_none());
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
    }
}
