//! Sockets the process owns besides `main`'s: whether it wants traffic ([`readiness`]) and the
//! probe listener on `HEALTH_PORT` that serves it ([`probes`], over the small HTTP/1.1 reader in
//! [`http`]). The probe server sees only the readiness state, never the `App`.
//!
//! A new listener the runtime binds for the service (another port variable) lands here.

pub(crate) mod http;
pub(crate) mod probes;
pub(crate) mod readiness;

#[cfg(test)]
mod proptests;
