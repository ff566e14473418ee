//! `#[derive(twelve_factor::Config)]`: parse the struct and its `#[config(..)]` attributes,
//! validate them (types, names, defaults), expand into an impl of the runtime's `Config` trait.

mod expand;
mod parse;
mod reserved;
mod validate;

use proc_macro2::TokenStream;

/// Parse → validate → expand; any error becomes compile errors on the offending tokens.
pub(crate) fn derive(input: TokenStream) -> TokenStream {
    let result = syn::parse2::<syn::DeriveInput>(input)
        .and_then(|input| parse::parse(&input))
        .and_then(validate::validate);
    match result {
        Ok(config) => expand::expand(&config),
        Err(error) => error.to_compile_error(),
    }
}
