//! The `#[twelve_factor::main]` attribute. Depend on the `twelvefactor` crate, not on this one:
//! the expansion refers to the runtime through that crate.
//!
//! The macro works in three steps, one file each: `args` parses the attribute arguments,
//! `valid` checks them together with the function and returns the one validated description
//! of `main`, and `expand` emits one call into the runtime from that description alone.
//! `detect` reads the rest of the crate and turns daemonizing APIs into compile errors.
//! `duration` is the runtime's own duration grammar, compiled here too.

mod args;
mod detect;
mod duration;
mod expand;
mod valid;

use proc_macro::TokenStream;

/// Turns `main` into a twelve-factor process. See the `twelvefactor` crate for the documentation.
#[proc_macro_attribute]
pub fn main(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::main(args.into(), item.into()).into()
}
