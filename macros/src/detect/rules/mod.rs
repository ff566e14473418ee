//! What is banned, as data: the daemonizing APIs ([`catalogue`]), the calls that daemonize
//! together within a function and the `clone` flags ([`effects`]), the global logger
//! installers ([`loggers`]), the panic hook installers ([`panic_hooks`]) and the servers that
//! take the stop signals for themselves ([`signals`]). Nothing here imports from the other stages.

pub(crate) mod catalogue;
pub(crate) mod effects;
pub(crate) mod loggers;
pub(crate) mod panic_hooks;
pub(crate) mod signals;

/// The identifiers that can be part of a banned path or a heuristic's match, from the
/// catalogue and the rules over effects.
pub(crate) fn names() -> impl Iterator<Item = &'static str> {
    catalogue::names().chain(effects::NAMES.iter().copied())
}

/// Words that any source mentioning a banned API must contain, for the
/// [prefilter](crate::detect::source::prefilter): the catalogue's and the rules over effects'.
pub(crate) fn words() -> Vec<&'static str> {
    catalogue::words_with(effects::WORDS)
}
