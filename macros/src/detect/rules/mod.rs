//! What is banned, as data: the daemonizing APIs ([`catalogue`]), the global logger
//! installers ([`loggers`]) and the servers that take the stop signals for themselves
//! ([`signals`]). Nothing here imports from the other stages.

pub(crate) mod catalogue;
pub(crate) mod loggers;
pub(crate) mod signals;
