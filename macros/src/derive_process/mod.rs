//! `#[derive(twelve_factor::Process)]`: an enum of unit variants, one per process type. Parse
//! the enum and its `#[process(..)]` attributes, validate them (one default at most, unique
//! kebab-case names), expand into an impl of the runtime's `Process` trait. On any error the
//! errors come with a stub impl (`fallback`), so code that uses the enum reports nothing more.

mod expand;
mod fallback;
mod parse;
mod validate;

use proc_macro2::TokenStream;

/// Parse → validate → expand; errors become compile errors on the offending tokens, next to
/// a stub impl.
pub(crate) fn derive(input: TokenStream) -> TokenStream {
    let input = match syn::parse2::<syn::DeriveInput>(input) {
        Ok(input) => input,
        Err(error) => return error.to_compile_error(),
    };
    match parse::parse(&input).and_then(validate::validate) {
        Ok(processes) => expand::expand(&processes),
        Err(error) => {
            let mut output = error.to_compile_error();
            output.extend(fallback::stub(&input));
            output
        }
    }
}
