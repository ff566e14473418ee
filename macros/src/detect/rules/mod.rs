//! What is banned, as data: the daemonizing APIs ([`catalogue`]), the calls that daemonize
//! together within a function and the `clone` flags ([`effects`]), the global logger
//! installers ([`loggers`]), the panic hook installers ([`panic_hooks`]) and the servers that
//! take the stop signals for themselves ([`signals`]). Nothing here imports from the other stages.

pub(crate) mod catalogue;
pub(crate) mod effects;
pub(crate) mod loggers;
pub(crate) mod panic_hooks;
pub(crate) mod signals;
