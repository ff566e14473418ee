//! The `#[twelve_factor::main]` attribute. Depend on the `twelvefactor` crate, not on this one:
//! the expansion refers to the runtime through that crate.
//!
//! The macro works in three steps, one file each: `args` parses the attribute arguments,
//! `valid` checks them together with the function and returns the one validated description
//! of `main`, and `expand` emits one call into the runtime from that description alone.
//! `detect` reads the rest of the crate and turns daemonizing APIs into compile errors.
//! `duration` is the runtime's own duration grammar, compiled here too. `config` is
//! `#[derive(Config)]`, in the same parse → validate → expand steps; `derive_process` is
//! `#[derive(Process)]`, likewise.

mod derive_config;
mod derive_process;
mod detect;
mod diag;
mod duration;
mod main_attr;

use proc_macro::TokenStream;

/// Turns `main` into a twelve-factor process. See the `twelvefactor` crate for the documentation.
#[proc_macro_attribute]
pub fn main(args: TokenStream, item: TokenStream) -> TokenStream {
    main_attr::expand::main(args.into(), item.into()).into()
}

/// Derives the runtime's `Config` trait: a struct read from environment variables. See the
/// `twelvefactor` crate for the documentation.
#[proc_macro_derive(Config, attributes(config))]
pub fn derive_config(input: TokenStream) -> TokenStream {
    derive_config::derive(input.into()).into()
}

/// Derives the runtime's `Process` trait: an enum with one unit variant per process type. See
/// the `twelvefactor` crate for the documentation.
#[proc_macro_derive(Process, attributes(process))]
pub fn derive_process(input: TokenStream) -> TokenStream {
    derive_process::derive(input.into()).into()
}
