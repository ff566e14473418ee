//! Emits the impl of the runtime's `Config` trait, and inherent `from_env`/`from_map` so that
//! callers need not import the trait.

use super::validate::{Config, Kind};
use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

pub(crate) fn expand(config: &Config) -> TokenStream {
    let krate = &config.krate;
    let ident = &config.ident;
    let prefix = &config.prefix;
    let variables = config.fields.iter().map(|field| {
        let name = &field.name;
        let field_name = field.ident.to_string();
        let field_name = field_name.trim_start_matches("r#");
        let doc = &field.doc;
        let default = match &field.default {
            Some(text) => quote!(::core::option::Option::Some(#text)),
            None => quote!(::core::option::Option::None),
        };
        let required = !field.optional && field.default.is_none();
        let secret = field.secret;
        quote! {
            #krate::Variable {
                name: #name,
                field: #field_name,
                doc: #doc,
                default: #default,
                required: #required,
                secret: #secret,
            }
        }
    });
    let reads = config.fields.iter().enumerate().map(|(index, field)| {
        let local = &field.ident;
        let parser = parser(krate, &field.kind);
        let method = if field.optional {
            quote!(optional)
        } else {
            quote!(required)
        };
        quote! {
            let #local = __reader.#method(&__variables[#index], #parser);
        }
    });
    let locals = config.fields.iter().map(|field| &field.ident);
    quote! {
        impl #krate::Config for #ident {
            const VARIABLES: &'static [#krate::Variable] = &[#(#variables),*];
            const PREFIX: &'static str = #prefix;

            fn read_fields(
                __reader: &mut #krate::__private::Reader<'_>,
            ) -> ::core::option::Option<Self> {
                let __variables = <Self as #krate::Config>::VARIABLES;
                #(#reads)*
                ::core::option::Option::Some(Self { #(#locals: #locals?),* })
            }
        }

        impl #ident {
            /// Reads every field from the process environment (`NAME` or `NAME_FILE`, else the
            /// default); the error lists every missing or invalid variable.
            #[allow(dead_code)]
            pub fn from_env() -> ::core::result::Result<Self, #krate::ConfigErrors> {
                <Self as #krate::Config>::from_env()
            }

            /// Reads every field from `vars` instead of the process environment.
            #[allow(dead_code)]
            pub fn from_map<I, K, V>(vars: I) -> ::core::result::Result<Self, #krate::ConfigErrors>
            where
                I: ::core::iter::IntoIterator<Item = (K, V)>,
                K: ::core::convert::Into<::std::string::String>,
                V: ::core::convert::Into<::std::ffi::OsString>,
            {
                <Self as #krate::Config>::from_map(vars)
            }
        }
    }
}

/// An expression of type `fn(&str) -> Result<T, String>` for the field's value type. The
/// `FromStr` case is spanned on the type, so a type that cannot be parsed is reported there.
fn parser(krate: &syn::Path, kind: &Kind) -> TokenStream {
    let parse = quote!(#krate::__private::field_parse);
    match kind {
        Kind::Bool => quote!(#parse::boolean),
        Kind::Duration => quote!(#parse::duration),
        Kind::FromStr(ty) => {
            // `<T as FromStr>` is written on the field's type, so a type without `FromStr`
            // is reported there.
            let from_str =
                quote_spanned!(ty.span()=> <#ty as ::core::str::FromStr>::from_str(__text));
            quote!(|__text: &str| #parse::display_error(#from_str))
        }
        Kind::List(inner) => {
            let inner = parser(krate, inner);
            quote!(|__text: &str| #parse::list(__text, #inner))
        }
        Kind::Secret(inner) => {
            let inner = parser(krate, inner);
            quote!(|__text: &str| #parse::secret(__text, #inner))
        }
    }
}
