//! What is banned, as data: the daemonizing APIs ([`catalogue`]) and the global logger
//! installers ([`loggers`]). Nothing here imports from the other stages.

pub(crate) mod catalogue;
pub(crate) mod loggers;
