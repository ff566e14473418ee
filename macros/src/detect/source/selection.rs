//! What makes a file worth reading: the words of every banned API (and of the logger
//! installers when they are findings, and of the servers that take the stop signals) for the
//! [`Prefilter`], and the identifiers that matter once a file is lexed.

use crate::detect::rules::{self, catalogue, loggers, panic_hooks, signals};
use crate::detect::source::prefilter::Prefilter;
use std::collections::{HashMap, HashSet};

/// The prefilter and the identifiers that matter. `renames` maps extern-prelude names to
/// library names (Cargo `package =`): a renamed banned crate is mentioned by its new name only.
/// `loggers`: global logger installers are findings.
pub(crate) fn selection(
    renames: &HashMap<String, String>,
    loggers: bool,
) -> (Prefilter, HashSet<String>) {
    let aliases: Vec<&str> = renames
        .iter()
        .filter(|(_, lib)| catalogue::banned_crate(lib).is_some())
        .map(|(alias, _)| alias.as_str())
        .collect();
    let (logger_words, logger_names): (&[&str], Vec<&str>) = match loggers {
        true => (loggers::WORDS, loggers::names().collect()),
        false => (&[], Vec::new()),
    };
    let words = rules::words().into_iter().chain(aliases.iter().copied());
    let prefilter = Prefilter::new(
        words
            .chain(logger_words.iter().copied())
            .chain(signals::WORDS.iter().copied())
            .chain(panic_hooks::WORDS.iter().copied()),
    );
    let names = rules::names()
        .chain(logger_names.iter().copied())
        .chain(signals::names())
        .chain(panic_hooks::names())
        .map(str::to_owned)
        .chain(aliases.iter().map(|alias| (*alias).to_owned()))
        .collect();
    (prefilter, names)
}
