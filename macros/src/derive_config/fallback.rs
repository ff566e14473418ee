//! After a derive error: the error, and an impl of `Config` whose bodies are never run, so
//! that the struct used as `main`'s argument or through `from_env` adds no second error.

use proc_macro2::TokenStream;
use quote::{quote, ToTokens};
use syn::DeriveInput;

/// The error, with a stub impl of the trait and of the inherent `from_env`/`from_map`.
pub(crate) fn fallback(input: &DeriveInput, error: syn::Error) -> TokenStream {
    let error = error.to_compile_error();
    let krate = crate_path(input);
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    quote! {
        #error
        impl #impl_generics #krate::Config for #ident #ty_generics #where_clause {
            const VARIABLES: &'static [#krate::Variable] = &[];
            const PREFIX: &'static str = "";

            fn read_fields(
                _: &mut #krate::__private::Reader<'_>,
            ) -> ::core::option::Option<Self> {
                ::core::unreachable!("#[derive(Config)] failed to compile")
            }
        }

        impl #impl_generics #ident #ty_generics #where_clause {
            #[allow(dead_code)]
            pub fn from_env() -> ::core::result::Result<Self, #krate::ConfigErrors> {
                ::core::unreachable!("#[derive(Config)] failed to compile")
            }

            #[allow(dead_code)]
            pub fn from_map<I, K, V>(_: I) -> ::core::result::Result<Self, #krate::ConfigErrors>
            where
                I: ::core::iter::IntoIterator<Item = (K, V)>,
                K: ::core::convert::Into<::std::string::String>,
                V: ::core::convert::Into<::std::ffi::OsString>,
            {
                ::core::unreachable!("#[derive(Config)] failed to compile")
            }
        }
    }
}

/// The facade's path: `#[config(crate = "…")]` when it is written and parses, else
/// `::twelve_factor`. Every other key is skipped; their errors are already reported.
fn crate_path(input: &DeriveInput) -> TokenStream {
    let mut krate = None;
    for attr in input
        .attrs
        .iter()
        .filter(|attr| attr.path().is_ident("config"))
    {
        let _ = attr.parse_nested_meta(|meta| {
            let value = match meta.input.peek(syn::Token![=]) {
                true => Some(meta.value()?.parse::<syn::Expr>()?),
                false => None,
            };
            if let (
                true,
                Some(syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(lit),
                    ..
                })),
            ) = (meta.path.is_ident("crate"), value)
            {
                krate = lit.parse::<syn::Path>().ok();
            }
            Ok(())
        });
    }
    krate.map_or_else(|| quote!(::twelve_factor), |path| path.to_token_stream())
}
