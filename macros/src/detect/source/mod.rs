//! The files to read: `Cargo.toml` ([`manifest`], through [`toml`]), the user's other crates
//! ([`workspace`]), and the source files in one [`store`] (from the [`disk`], regular files
//! only, of bounded size), each read once, run through the
//! [`prefilter`] (built from the rules by [`selection`]) and [`relevance`], and lexed only when a
//! later stage needs its tokens.

pub(crate) mod disk;
pub(crate) mod manifest;
pub(crate) mod prefilter;
pub(crate) mod relevance;
pub(crate) mod selection;
pub(crate) mod store;
pub(crate) mod toml;
pub(crate) mod workspace;
