//! The expansion: `main` becomes a plain `fn main` that hands the user's function to the runtime.
//! It reads only the validated [`MainSpec`].

use crate::diag::Errors;
use crate::main_attr::args::{Args, Flavor, Log};
use crate::main_attr::body::{is_function, ItemFn};
use crate::main_attr::roles::Role;
use crate::main_attr::valid::{self, MainSpec, Output};
use proc_macro2::{Delimiter, Group, Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

/// Parse → validate → scan → expand. Only the leading tokens, the attributes and the signature
/// are parsed; the body stays tokens. After an error the expansion still compiles (a `main`
/// holding the user's function, or the user's function unchanged when it is not `main`), so the
/// only errors are the attribute's and rustc's own.
pub(crate) fn main(args: TokenStream, item: TokenStream) -> TokenStream {
    if !is_function(&item) {
        return not_a_function(item);
    }
    let item_fn: ItemFn = match syn::parse2(item.clone()) {
        Ok(item_fn) => item_fn,
        Err(error) => {
            let error = error.to_compile_error();
            return quote!(#error #item);
        }
    };
    let mut errors = Errors::default();
    let args = Args::parse(args).unwrap_or_else(|error| {
        errors.push(error);
        Args::default()
    });
    let mut tests = Errors::default();
    valid::test_attributes(&item_fn.attrs, &mut tests);
    if let Err(error) = tests.finish() {
        errors.push(error);
        return with_fallback(errors, &item_fn);
    }
    if item_fn.sig.ident != "main" {
        valid::runtime_rules(&args, item_fn.sig.asyncness.is_some(), &mut errors);
        return not_main(errors, &item_fn, item);
    }
    let log_off = args.log_off();
    let spec = match MainSpec::build(args, item_fn.clone()) {
        Ok(spec) => spec,
        Err(error) => {
            errors.push(error);
            return with_fallback(errors, &item_fn);
        }
    };
    let expanded = expand(&spec);
    match errors.finish() {
        // An argument error: the `main` above runs with the default settings, and the
        // detector stays quiet, so the argument's error is the only one.
        Err(error) => {
            let error = error.to_compile_error();
            quote!(#error #expanded)
        }
        Ok(()) => {
            let detected = crate::detect::scan(&item, log_off);
            quote!(#detected #expanded)
        }
    }
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

/// The attribute on a function other than `main`: one error on its name (or the argument's
/// errors, if any), and the function unchanged, so its callers still compile.
fn not_main(errors: Errors, item: &ItemFn, tokens: TokenStream) -> TokenStream {
    let error = match errors.finish() {
        Err(error) => error,
        Ok(()) => {
            let name = &item.sig.ident;
            let takes_self = matches!(item.sig.inputs.first(), Some(syn::FnArg::Receiver(_)));
            let receiver = if takes_self { "value." } else { "" };
            let args = if item.sig.inputs.len() > usize::from(takes_self) {
                "…"
            } else {
                ""
            };
            let wait = if item.sig.asyncness.is_some() {
                ".await"
            } else {
                ""
            };
            let call = format!("{receiver}{name}({args}){wait}");
            let asyncness = if item.sig.asyncness.is_some() {
                "async "
            } else {
                ""
            };
            syn::Error::new(
                name.span(),
                format!(
                    "#[twelve_factor::main] goes on `fn main`, not on `{name}`\n\
                     = note: the attribute makes the function it is on the whole process\n\
                     = help: put it on `main` and call `{name}` from there:\n    \
                     #[twelve_factor::main]\n    \
                     {asyncness}fn main() {{ {call} }}"
                ),
            )
        }
    };
    let error = error.to_compile_error();
    quote!(#error #tokens)
}

/// After an error: the errors, and a `main` that compiles, holding the user's function unchanged.
fn with_fallback(errors: Errors, item: &ItemFn) -> TokenStream {
    let error = errors.finish().err().map(|error| error.to_compile_error());
    let vis = &item.vis;
    let ident = &item.sig.ident;
    quote! {
        #error
        #vis fn #ident() {
            #[allow(dead_code, unused)]
            #item
        }
    }
}

fn expand(main: &MainSpec) -> TokenStream {
    let krate = &main.krate;
    let inner = &main.inner;
    let user = &inner.sig.ident;
    let settings = settings(main);
    let mut next_arg = 0;
    let args: Vec<_> = main
        .params
        .iter()
        .map(|param| match param.role {
            // Spanned on the parameter's type, so a wrong type is reported there.
            Role::App => proc_macro2::Ident::new("__app", param.ty_span),
            Role::Arg(ref ty) if main.is_cli(ty) => {
                proc_macro2::Ident::new("__cli", Span::call_site())
            }
            Role::Arg(_) => {
                next_arg += 1;
                proc_macro2::Ident::new(&format!("__arg{}", next_arg - 1), Span::call_site())
            }
        })
        .collect();
    let invoke = quote!(#user(#(#args),*));
    let discard_app = if main.takes_app() {
        quote!()
    } else {
        quote!(let _ = __app;)
    };
    let report = match (main.output, main.is_async) {
        // `-> !`: the runtime's generic helpers take the call, so `!` is never a value here:
        // no never-type fallback, no unreachable-code lint, in any edition.
        (Output::Never, true) => quote! {
            { #discard_app #krate::__private::outcome::never(#invoke).await }
        },
        (Output::Never, false) => quote! {
            { #discard_app #krate::__private::outcome::never_sync(move || #invoke) }
        },
        (Output::Value(span), is_async) => {
            let call = if is_async {
                quote!({ #discard_app #invoke.await })
            } else {
                quote!({ #discard_app #invoke })
            };
            // The return-type check is spanned on the return type, so a wrong type is
            // reported there; the rest is call-site code that lints leave alone.
            let assert = quote_spanned! {span=>
                #krate::__private::outcome::assert_main_return(&__output);
            };
            quote! {
                {
                    #[allow(unused_imports)]
                    use #krate::__private::outcome::{ViaConfig as _, ViaDebug as _, ViaDerefError as _, ViaError as _, ViaTermination as _, ViaUnchecked as _};
                    let __output = #call;
                    #assert
                    #[allow(clippy::needless_borrow)]
                    let __outcome = (&&&&&&#krate::__private::outcome::Report::new(__output)).outcome();
                    __outcome
                }
            }
        }
    };
    let run = config_run(krate, &settings, &report, &main.args(), main.is_async);
    // The program's own parser runs first, so that its `--help` and `--version` answer before
    // (and whatever) the environment.
    let cli = main.cli.as_ref().map(|cli| quote!(let __cli = #cli();));
    // `log = "json"` without the `json` feature: a compile error on the literal, not exit 78.
    let json_check = match main.defaults.log {
        Some((Log::Json, span)) => quote_spanned! {span=>
            const _: () = ::core::assert!(
                #krate::__private::JSON,
                "`log = \"json\"` needs the `json` feature of twelvefactor, which is off"
            );
        },
        _ => quote!(),
    };
    // `flavor = "actix"` without the `actix` feature: likewise, on the literal.
    let actix_check = match main.runtime.actix {
        Some(span) => quote_spanned! {span=>
            const _: () = ::core::assert!(
                #krate::__private::ACTIX,
                "`flavor = \"actix\"` needs the `actix` feature of twelvefactor: add `features = [\"actix\"]` to its line in Cargo.toml"
            );
        },
        None => quote!(),
    };
    // The emitted `main` keeps the user's `fn`, name and braces (their spans), so that lints
    // and "go to definition" see the user's function.
    let outer = &main.outer;
    let (attrs, vis, fn_token, ident) = (&outer.attrs, &outer.vis, &outer.fn_token, &outer.ident);
    let mut body = Group::new(
        Delimiter::Brace,
        quote!(#json_check #actix_check #inner #cli #run),
    );
    body.set_span(outer.brace.join());
    quote! {
        #(#attrs)*
        #vis #fn_token #ident() #body
    }
}

/// The one call into the runtime: `run(spec, args, Async(…) or Sync(…))`. `args` is the tuple
/// of `arg::<T>()` readers of the parameters other than the `App`, each spanned on its type, so
/// that a type that is neither a configuration nor a set of process types is reported there;
/// two of the same kind are a compile-time assertion spanned on the second one's type.
fn config_run(
    krate: &TokenStream,
    settings: &TokenStream,
    report: &TokenStream,
    types: &[&syn::Type],
    is_async: bool,
) -> TokenStream {
    let readers = types.iter().map(|ty| {
        quote_spanned! {ty.span()=> #krate::__private::arg::<#ty>() }
    });
    let names = (0..types.len())
        .map(|index| proc_macro2::Ident::new(&format!("__arg{index}"), Span::call_site()));
    let (args, param) = (
        quote!((#(#readers,)*)),
        quote!((#(#names,)*): (#(#types,)*)),
    );
    let kinds = match types {
        [first, second] => {
            let check = |kind: TokenStream, message: &str| {
                quote_spanned! {second.span()=>
                    const _: () = ::core::assert!(
                        !#krate::__private::both(
                            <#first as #krate::__private::MainArg>::KIND,
                            <#second as #krate::__private::MainArg>::KIND,
                            #krate::__private::ArgKind::#kind,
                        ),
                        #message
                    );
                }
            };
            let configs = check(
                quote!(Config),
                "`main` takes one configuration struct; this is a second one: put its fields in \
                 the first `#[derive(twelve_factor::Config)]` struct",
            );
            let processes = check(
                quote!(Process),
                "`main` takes one set of process types; this is a second one: put its variants \
                 in the first `#[derive(twelve_factor::Process)]` enum",
            );
            quote!(#configs #processes)
        }
        _ => quote!(),
    };
    let main = if is_async {
        quote!(#krate::__private::Async(|__app: #krate::App, #param| async move #report))
    } else {
        quote!(#krate::__private::Sync(|__app: #krate::App, #param| #report))
    };
    quote! {
        #kinds
        #krate::__private::run(#settings, #args, #main)
    }
}

fn settings(main: &MainSpec) -> TokenStream {
    let krate = &main.krate;
    let mut fields = Vec::new();
    if let Some(port) = main.defaults.port {
        fields.push(quote!(default_port: #port,));
    }
    if !main.defaults.listeners.is_empty() {
        let decls = main.defaults.listeners.iter().map(|l| l.decl(krate));
        fields.push(quote!(listeners: &[#(#decls),*],));
    }
    if let Some(flavor) = main.runtime.flavor {
        let flavor = match flavor {
            Flavor::CurrentThread => quote!(CurrentThread),
            Flavor::MultiThread => quote!(MultiThread),
            Flavor::Local => quote!(Local),
            Flavor::Actix => quote!(Actix),
        };
        fields.push(quote!(flavor: #krate::__private::Flavor::#flavor,));
    }
    if let Some(threads) = main.runtime.worker_threads {
        fields.push(quote!(worker_threads: ::core::option::Option::Some(#threads),));
    }
    if let Some(name) = &main.runtime.thread_name {
        fields.push(quote!(thread_name: ::core::option::Option::Some(#name),));
    }
    if let Some(timeout) = main.defaults.shutdown_timeout {
        let millis = u64::try_from(timeout.as_millis()).unwrap_or(u64::MAX);
        fields.push(quote!(shutdown_timeout: ::core::time::Duration::from_millis(#millis),));
    }
    if let Some((log, _)) = main.defaults.log {
        let log = match log {
            Log::Text => quote!(Text),
            Log::Json => quote!(Json),
            Log::Off => quote!(Off),
        };
        fields.push(quote!(log: #krate::__private::LogFormat::#log,));
    }
    if let Some(layer) = &main.layer {
        // Spanned on the path: a function of the wrong type is reported there.
        let span = layer.span();
        fields.push(quote_spanned! {span=>
            layer: ::core::option::Option::Some(#layer as fn() -> #krate::LogLayer),
        });
    }
    let answers_flags = main.cli.is_none();
    let shape = match (main.takes_app(), main.output) {
        (false, _) => quote!(NoApp),
        (true, Output::Never) => quote!(NeverReturns),
        (true, Output::Value(_)) => quote!(TakesApp),
    };
    quote! {
        #krate::__private::MainSpec {
            shape: #krate::__private::MainShape::#shape,
            package: ::core::env!("CARGO_PKG_NAME"),
            version: ::core::env!("CARGO_PKG_VERSION"),
            description: ::core::env!("CARGO_PKG_DESCRIPTION"),
            answers_flags: #answers_flags,
            #(#fields)*
            ..#krate::__private::MainSpec::DEFAULT
        }
    }
}
