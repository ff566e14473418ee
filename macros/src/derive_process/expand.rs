//! Emits the impl of the runtime's `Process` trait: the table of process types, and the
//! mapping between variants and their positions in it.

use super::validate::Processes;
use proc_macro2::TokenStream;
use quote::quote;

pub(crate) fn expand(processes: &Processes) -> TokenStream {
    let krate = &processes.krate;
    let ident = &processes.ident;
    let types = processes.types.iter().map(|process_type| {
        let name = &process_type.name;
        let doc = &process_type.doc;
        let one_off = process_type.one_off;
        let default = process_type.default;
        quote! {
            #krate::ProcessType {
                name: #name,
                doc: #doc,
                one_off: #one_off,
                default: #default,
            }
        }
    });
    let variants: Vec<&syn::Ident> = processes
        .types
        .iter()
        .map(|process_type| &process_type.variant)
        .collect();
    let indices = 0..variants.len();
    let from_index = quote! {
        match __index {
            #(#indices => ::core::option::Option::Some(Self::#variants),)*
            _ => ::core::option::Option::None,
        }
    };
    let indices = 0..variants.len();
    quote! {
        impl #krate::Process for #ident {
            const TYPES: &'static [#krate::ProcessType] = &[#(#types),*];

            fn from_index(__index: ::core::primitive::usize) -> ::core::option::Option<Self> {
                #from_index
            }

            fn index(&self) -> ::core::primitive::usize {
                match self {
                    #(Self::#variants => #indices,)*
                }
            }
        }

        impl #krate::__private::MainArg for #ident {
            const KIND: #krate::__private::ArgKind = #krate::__private::ArgKind::Process;
            const TYPES: &'static [#krate::ProcessType] = <Self as #krate::Process>::TYPES;

            fn take(
                __context: &mut #krate::__private::ArgContext,
            ) -> ::core::option::Option<Self> {
                __context.process::<Self>()
            }
        }
    }
}
