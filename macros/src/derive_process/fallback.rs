//! The stub impl emitted next to the errors: the trait is implemented (with no types), so
//! `<Enum as Process>` elsewhere in the crate raises no second error. It never runs, because
//! the crate does not compile.

use super::parse::crate_of;
use proc_macro2::TokenStream;
use quote::quote;

pub(crate) fn stub(input: &syn::DeriveInput) -> TokenStream {
    let krate = crate_of(&input.attrs).unwrap_or_else(|| syn::parse_quote!(::twelve_factor));
    let ident = &input.ident;
    let mut generics = input.generics.clone();
    if !generics.params.is_empty() {
        // The trait needs `Send + 'static`; say so rather than fail on a type parameter.
        generics
            .make_where_clause()
            .predicates
            .push(syn::parse_quote!(Self: ::core::marker::Send + 'static));
    }
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    quote! {
        impl #impl_generics #krate::Process for #ident #ty_generics #where_clause {
            const TYPES: &'static [#krate::ProcessType] = &[];

            fn from_index(_: ::core::primitive::usize) -> ::core::option::Option<Self> {
                ::core::option::Option::None
            }

            fn index(&self) -> ::core::primitive::usize {
                0
            }
        }

        impl #impl_generics #krate::__private::MainArg for #ident #ty_generics #where_clause {
            const KIND: #krate::__private::ArgKind = #krate::__private::ArgKind::Process;

            fn take(
                _: &mut #krate::__private::ArgContext,
            ) -> ::core::option::Option<Self> {
                ::core::option::Option::None
            }
        }
    }
}
