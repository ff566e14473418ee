//! The expansion: `main` becomes a plain `fn main` that hands the user's function to the runtime.

use crate::args::{Args, Flavor, Log};
use crate::signature::{self, Shape};
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned, ToTokens};
use syn::spanned::Spanned;
use syn::ItemFn;

/// Parse → validate → expand. Errors never lose the user's function: it is still emitted, so
/// that the IDE keeps type-checking the body while the attribute is wrong.
pub(crate) fn main(args: TokenStream, item: TokenStream) -> TokenStream {
    let item_fn: ItemFn = match syn::parse2(item.clone()) {
        Ok(item_fn) => item_fn,
        Err(_) => return not_a_function(item),
    };
    let (args, arg_error) = match Args::parse(args) {
        Ok(args) => (args, None),
        Err(error) => (Args::default_for_errors(), Some(error.to_compile_error())),
    };
    let shape = match signature::validate(&item_fn, &args) {
        Ok(shape) => shape,
        Err(error) => {
            let error = error.to_compile_error();
            let fallback = fallback(&item_fn);
            return quote!(#arg_error #error #fallback);
        }
    };
    let detected = crate::detect::scan(&item_fn);
    let expanded = expand(&item_fn, &args, &shape);
    quote!(#arg_error #detected #expanded)
}

fn not_a_function(item: TokenStream) -> TokenStream {
    let span = item
        .clone()
        .into_iter()
        .next()
        .map_or_else(Span::call_site, |token| token.span());
    let error = syn::Error::new(
        span,
        "#[twelve_factor::main] goes on a function: `async fn main()` or `fn main()`",
    )
    .to_compile_error();
    quote!(#error #item)
}

/// After a signature error: a `main` that compiles, holding the user's function unchanged.
fn fallback(item: &ItemFn) -> TokenStream {
    let vis = &item.vis;
    let ident = &item.sig.ident;
    quote! {
        #vis fn #ident() {
            #[allow(dead_code, unused)]
            #item
        }
    }
}

fn expand(item: &ItemFn, args: &Args, shape: &Shape) -> TokenStream {
    let krate = args
        .krate
        .as_ref()
        .map_or_else(|| quote!(::twelve_factor), ToTokens::to_token_stream);
    let attrs = &item.attrs;
    let vis = &item.vis;
    let ident = &item.sig.ident;
    let user = format_ident!("__twelve_factor_{}", ident);
    let mut user_sig = item.sig.clone();
    user_sig.ident = user.clone();
    let block = &item.block;
    let settings = settings(&krate, args, shape);

    let body_span = item
        .sig
        .output
        .to_token_stream()
        .into_iter()
        .last()
        .map_or_else(Span::call_site, |t| t.span());
    let call = if let Some(syn::FnArg::Typed(input)) = item.sig.inputs.first() {
        // Spanned on the argument's type, so a wrong type is reported there.
        let app = proc_macro2::Ident::new("__app", input.ty.span());
        if shape.config.is_some() {
            quote!(#user(#app, __config))
        } else {
            quote!(#user(#app))
        }
    } else {
        quote!({ let _ = __app; #user() })
    };
    let call = if item.sig.asyncness.is_some() {
        quote!(#call.await)
    } else {
        call
    };
    // The return-type check is spanned on the return type, so a wrong type is reported there;
    // the rest is call-site code that lints leave alone.
    let assert = quote_spanned! {body_span=>
        #krate::__private::report::assert_main_return(&__output);
    };
    let report = quote! {
        {
            #[allow(unused_imports)]
            use #krate::__private::report::{ViaDebug as _, ViaDerefError as _, ViaError as _, ViaUnchecked as _};
            let __output = #call;
            #assert
            #[allow(clippy::needless_borrow)]
            let __outcome = (&&&&#krate::__private::report::Report(__output)).outcome();
            __outcome
        }
    };
    let run = match &shape.config {
        Some(config) => config_run(&krate, item, &settings, &report, config),
        None if item.sig.asyncness.is_some() => quote! {
            #krate::__private::run_async(#settings, |__app: #krate::App| async move #report)
        },
        None => quote! {
            #krate::__private::run_sync(#settings, |__app: #krate::App| #report)
        },
    };
    quote! {
        #(#attrs)*
        #vis fn #ident() {
            #user_sig #block
            #run
        }
    }
}

/// `main(app, config: C)`: the runtime reads `C` with its own variables. `C: Config` is
/// required on the argument's type, so a type that is not a configuration is reported there.
fn config_run(
    krate: &TokenStream,
    item: &ItemFn,
    settings: &TokenStream,
    report: &TokenStream,
    config: &syn::Type,
) -> TokenStream {
    // The one place `C: Config` is required, spanned on the argument's type.
    let reader = quote_spanned! {config.span()=>
        #krate::__private::config_reader::<#config>()
    };
    if item.sig.asyncness.is_some() {
        quote! {
            #krate::__private::run_async_with(#settings, #reader, |__app: #krate::App, __config: #config| async move #report)
        }
    } else {
        quote! {
            #krate::__private::run_sync_with(#settings, #reader, |__app: #krate::App, __config: #config| #report)
        }
    }
}

fn settings(krate: &TokenStream, args: &Args, shape: &Shape) -> TokenStream {
    let mut fields = Vec::new();
    if let Some(port) = args.port {
        fields.push(quote!(default_port: #port,));
    }
    if let Some((flavor, _)) = args.flavor {
        let flavor = match flavor {
            Flavor::CurrentThread => quote!(CurrentThread),
            Flavor::MultiThread => quote!(MultiThread),
        };
        fields.push(quote!(flavor: #krate::__private::Flavor::#flavor,));
    }
    if let Some((threads, _)) = args.worker_threads {
        fields.push(quote!(worker_threads: ::core::option::Option::Some(#threads),));
    }
    if let Some(timeout) = args.shutdown_timeout {
        let millis = u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX);
        fields.push(quote!(shutdown_timeout: ::core::time::Duration::from_millis(#millis),));
    }
    if let Some(log) = args.log {
        let log = match log {
            Log::Text => quote!(Text),
            Log::Json => quote!(Json),
            Log::Off => quote!(Off),
        };
        fields.push(quote!(log: #krate::__private::LogSetting::#log,));
    }
    let takes_app = shape.takes_app;
    quote! {
        #krate::__private::Settings {
            takes_app: #takes_app,
            #(#fields)*
            ..#krate::__private::Settings::DEFAULT
        }
    }
}
