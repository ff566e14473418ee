//! `#[twelve_factor::main]`: [`args`] parses the attribute's arguments, [`valid`] checks them
//! with the function and returns the one validated description of `main`, [`expand`] emits
//! one call into the runtime from that description alone.

pub(crate) mod args;
pub(crate) mod body;
pub(crate) mod expand;
pub(crate) mod roles;
pub(crate) mod valid;
