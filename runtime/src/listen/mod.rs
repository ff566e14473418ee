//! Sockets the process owns besides `main`'s: whether it wants traffic ([`readiness`]) and the
//! probe listener on `HEALTH_PORT` that serves it ([`probes`], over the small HTTP/1.1 reader in
//! [`http`]). The probe server sees only the readiness state, never the `App`.
//!
//! [`spec`] holds the extra listeners the attribute declares (`listeners(admin = 9091)`): the
//! configuration reads their `{NAME}_PORT`, readiness waits for each to be bound.

pub(crate) mod http;
pub(crate) mod probes;
pub(crate) mod readiness;
pub(crate) mod spec;

#[cfg(test)]
mod proptests;
