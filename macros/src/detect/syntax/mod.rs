//! Rust source as the detector sees it: [`bytes`] searches, the flat [`tokens`] form and its
//! [`lex`]er, the one item iterator ([`items`]) and [`paths`] inside a token level. Never fails,
//! never panics, knows nothing about what is banned.

pub(crate) mod bytes;
pub(crate) mod items;
pub(crate) mod lex;
pub(crate) mod paths;
pub(crate) mod tokens;
