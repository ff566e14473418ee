//! `#[derive(twelve_factor::Config)]`: parse the struct and its `#[config(..)]` attributes,
//! validate them (types, names, defaults), expand into an impl of the runtime's `Config` trait;
//! after an error, [`fallback`] stands in for the impl.

mod expand;
mod fallback;
mod parse;
mod reserved;
mod validate;

use proc_macro2::TokenStream;

/// Parse → validate → expand; any error becomes compile errors on the offending tokens, with a
/// stub impl of the trait ([`fallback`]) so that uses of the struct add no error of their own.
pub(crate) fn derive(input: TokenStream) -> TokenStream {
    let input = match syn::parse2::<syn::DeriveInput>(input) {
        Ok(input) => input,
        Err(error) => return error.to_compile_error(),
    };
    match parse::parse(&input).and_then(validate::validate) {
        Ok(config) => expand::expand(&config),
        Err(error) => fallback::fallback(&input, error),
    }
}
