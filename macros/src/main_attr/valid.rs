//! The one step that decides validity: the parsed arguments and the user's function go in, and
//! either every problem comes out (combined, each on its own tokens) or one [`MainSpec`]: the
//! validated description of `main` that the expansion reads, and nothing else.

use crate::diag::Errors;
use crate::main_attr::args::{Args, Flavor, Log};
use crate::main_attr::body::ItemFn;
use crate::main_attr::roles::{self, Role};
use proc_macro2::{Group, Span, TokenStream};
use quote::{format_ident, quote, ToTokens, TokenStreamExt};
use std::cell::OnceCell;
use syn::spanned::Spanned;
use syn::{Attribute, FnArg, ReturnType, Signature, Type};

/// Everything the expansion needs, decided.
pub(crate) struct MainSpec {
    /// Where the facade crate is (`::twelve_factor` unless `crate = "…"`).
    pub krate: TokenStream,
    /// How the tokio runtime is built.
    pub runtime: Runtime,
    /// The attribute's defaults for the environment variables.
    pub defaults: Defaults,
    /// `async fn` (run on the runtime) or `fn` (run on a blocking thread).
    pub is_async: bool,
    /// What `main` takes, in order.
    pub params: Vec<Param>,
    /// `cli = Cli::parse`: called before the environment is read; its value goes to the
    /// parameter whose type is `Cli`.
    pub cli: Option<syn::Path>,
    /// What `main` returns (its type).
    pub output: Output,
    /// The user's function, renamed so the emitted `main` can hold and call it.
    pub inner: Inner,
    /// The pieces of the emitted `main` that keep the user's tokens and spans, so lints such as
    /// `dead_code` see the user's function.
    pub outer: Outer,
    /// `layer = path::to_fn`.
    pub layer: Option<syn::Path>,
}

/// The runtime the attribute asked for.
pub(crate) struct Runtime {
    pub flavor: Option<Flavor>,
    /// The span of `flavor = "actix"` (where a missing `actix` feature is reported).
    pub actix: Option<Span>,
    pub worker_threads: Option<usize>,
    pub thread_name: Option<String>,
}

/// Defaults used when the environment does not say.
pub(crate) struct Defaults {
    pub port: Option<u16>,
    pub shutdown_timeout: Option<std::time::Duration>,
    /// The log format, and the span of its literal (where a missing `json` feature is reported).
    pub log: Option<(Log, Span)>,
    /// The declared listeners.
    pub listeners: Vec<super::listeners::Listener>,
}

/// One parameter of `main`.
pub(crate) struct Param {
    pub role: Role,
    /// The parameter's type, where a type mismatch is reported.
    pub ty_span: Span,
}

/// What `main` returns.
#[derive(Clone, Copy)]
pub(crate) enum Output {
    /// `-> !`: main never returns; the expansion coerces it without never-type fallback.
    Never,
    /// Any other type (`()` when omitted), checked by the runtime's `MainReturn` bound; the
    /// span is where a wrong type is reported.
    Value(Span),
}

/// The emitted `main`'s signature and body braces, taken from the user's function.
pub(crate) struct Outer {
    pub attrs: Vec<Attribute>,
    pub vis: syn::Visibility,
    pub fn_token: syn::Token![fn],
    pub ident: syn::Ident,
    /// The span of the body's braces.
    pub brace: proc_macro2::extra::DelimSpan,
}

/// The user's function as the emitted `main` holds it: its signature, renamed and private, and
/// its body, untouched (inner attributes such as `#![deny(…)]` included).
pub(crate) struct Inner {
    pub sig: Signature,
    pub body: Group,
}

impl ToTokens for Inner {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        self.sig.to_tokens(tokens);
        tokens.append(self.body.clone());
    }
}

impl MainSpec {
    /// Validates `args` and `item` together; every problem becomes an error on its tokens.
    pub(crate) fn build(args: Args, item: ItemFn) -> syn::Result<MainSpec> {
        let mut errors = Errors::default();
        runtime_rules(&args, item.sig.asyncness.is_some(), &mut errors);
        signature_rules(&item.sig, &mut errors);
        let params = params(&item.sig, args.cli.as_ref(), &mut errors);
        errors.finish()?;

        let output = match &item.sig.output {
            ReturnType::Type(_, ty) if matches!(**ty, Type::Never(_)) => Output::Never,
            ReturnType::Type(_, ty) => Output::Value(last_token_span(ty)),
            ReturnType::Default => Output::Value(item.sig.ident.span()),
        };
        let outer = Outer {
            attrs: item.attrs,
            vis: item.vis,
            fn_token: item.sig.fn_token,
            ident: item.sig.ident.clone(),
            brace: item.body.delim_span(),
        };
        let mut sig = item.sig;
        sig.ident = format_ident!("__twelve_factor_{}", sig.ident);
        let inner = Inner {
            sig,
            body: item.body,
        };
        Ok(MainSpec {
            krate: args
                .krate
                .as_ref()
                .map_or_else(|| quote!(::twelve_factor), ToTokens::to_token_stream),
            runtime: Runtime {
                flavor: args.flavor.map(|(flavor, _)| flavor),
                actix: args
                    .flavor
                    .filter(|(flavor, _)| *flavor == Flavor::Actix)
                    .map(|(_, span)| span),
                worker_threads: args.worker_threads.map(|(threads, _)| threads),
                thread_name: args.name,
            },
            defaults: Defaults {
                port: args.port,
                shutdown_timeout: args.shutdown_timeout,
                log: args.log,
                listeners: args.listeners,
            },
            is_async: inner.sig.asyncness.is_some(),
            params,
            cli: args.cli,
            output,
            inner,
            outer,
            layer: args.layer,
        })
    }

    /// The types of `main`'s parameters other than the `App` and the `cli` value
    /// (configuration, process types), in order.
    pub(crate) fn args(&self) -> Vec<&Type> {
        self.params
            .iter()
            .filter_map(|param| match &param.role {
                Role::Arg(ty) if !self.is_cli(ty) => Some(&**ty),
                Role::Arg(_) | Role::App => None,
            })
            .collect()
    }

    /// Whether `ty` is the type of `cli = Type::function`.
    pub(crate) fn is_cli(&self, ty: &Type) -> bool {
        is_cli(self.cli.as_ref(), ty)
    }

    /// Whether `main` takes the `App`.
    pub(crate) fn takes_app(&self) -> bool {
        self.params
            .iter()
            .any(|param| matches!(param.role, Role::App))
    }
}

/// Whether `ty` is the type of `cli = Type::function`: its last name is `Type`'s.
fn is_cli(cli: Option<&syn::Path>, ty: &Type) -> bool {
    let Some(cli) = cli else {
        return false;
    };
    let owner = cli
        .segments
        .iter()
        .rev()
        .nth(1)
        .map(|segment| &segment.ident);
    match ty {
        Type::Path(path) => path
            .path
            .segments
            .last()
            .is_some_and(|last| Some(&last.ident) == owner),
        _ => false,
    }
}

/// The runtime arguments among themselves and against `async`.
pub(crate) fn runtime_rules(args: &Args, is_async: bool, errors: &mut Errors) {
    if let Some((threads_span, flavor)) = args
        .worker_threads
        .and_then(|(_, span)| Some((span, args.flavor?.0)))
    {
        let why = match flavor {
            Flavor::CurrentThread => Some("the current-thread runtime runs on one thread"),
            Flavor::Local => Some("the local runtime runs on one thread"),
            Flavor::Actix => Some("the actix System runs `main` on one thread"),
            Flavor::MultiThread => None,
        };
        if let Some(why) = why {
            errors.push(syn::Error::new(
                threads_span,
                format!("`worker_threads` needs `flavor = \"multi_thread\"`; {why}"),
            ));
        }
    }
    if let (Some(layer), Some((Log::Off, _))) = (&args.layer, args.log) {
        errors.push(syn::Error::new_spanned(
            layer,
            "`layer` adds to the runtime's subscriber, and `log = \"off\"` installs none; \
             add the layer to your own subscriber, or remove `log = \"off\"`",
        ));
    }
    if !is_async {
        let need_async = "applies to the async runtime that runs `async fn main`; add `async` to `main`, or remove the argument";
        if let Some((_, span)) = args.flavor {
            errors.push(syn::Error::new(span, format!("`flavor` {need_async}")));
        }
        if let Some((_, span)) = args.worker_threads {
            errors.push(syn::Error::new(
                span,
                format!("`worker_threads` {need_async}"),
            ));
        }
    }
}

/// `#[test]` and its look-alikes: the attribute would end the test binary at the first test.
pub(crate) fn test_attributes(attrs: &[Attribute], errors: &mut Errors) {
    for attr in attrs {
        let path = attr.path();
        let last = path
            .segments
            .last()
            .map(|segment| segment.ident.to_string());
        if matches!(last.as_deref(), Some("test" | "rstest" | "test_case")) {
            errors.push(syn::Error::new_spanned(
                attr,
                "#[twelve_factor::main] is for a program's `main`, not for tests: it exits the \
                 process when the function returns, which would end the test binary at the \
                 first test. Use `#[tokio::test]` for async tests",
            ));
        }
    }
}

fn signature_rules(sig: &Signature, errors: &mut Errors) {
    if let Some(token) = &sig.constness {
        errors.push(syn::Error::new_spanned(token, "`main` cannot be `const`"));
    }
    if let Some(token) = &sig.unsafety {
        errors.push(syn::Error::new_spanned(token, "`main` cannot be `unsafe`"));
    }
    if let Some(abi) = &sig.abi {
        errors.push(syn::Error::new_spanned(
            abi,
            "`main` cannot have an `extern` ABI",
        ));
    }
    if !sig.generics.params.is_empty() {
        errors.push(syn::Error::new_spanned(
            &sig.generics,
            "`main` cannot be generic: the runtime calls it exactly once, with no type to choose",
        ));
    }
    if let Some(clause) = &sig.generics.where_clause {
        errors.push(syn::Error::new_spanned(
            clause,
            "`main` cannot have a `where` clause",
        ));
    }
    if let Some(variadic) = &sig.variadic {
        errors.push(syn::Error::new_spanned(
            variadic,
            "`main` cannot be variadic",
        ));
    }
}

/// The parameters and what each receives, decided by type, in any order; a role taken more
/// often than it may be is an error on the extra one's type.
fn params(sig: &Signature, cli: Option<&syn::Path>, errors: &mut Errors) -> Vec<Param> {
    // The file is read only when no parameter's type ends in `App`, and then at most once.
    let names_app = sig.inputs.iter().any(|input| match input {
        FnArg::Typed(typed) => matches!(roles::classify(&typed.ty, &|_| false), Some(Role::App)),
        FnArg::Receiver(_) => false,
    });
    let source: OnceCell<Option<String>> = OnceCell::new();
    let app_alias = |name: &str| {
        !names_app
            && source
                .get_or_init(main_source)
                .as_deref()
                .is_some_and(|text| roles::imports_app_as(text, name))
    };
    let mut params: Vec<Param> = Vec::new();
    for input in &sig.inputs {
        let typed = match input {
            FnArg::Receiver(receiver) => {
                errors.push(syn::Error::new_spanned(
                    receiver,
                    format!(
                        "`main` cannot take `self`; it takes, in any order, {}",
                        roles::TAKES
                    ),
                ));
                continue;
            }
            FnArg::Typed(typed) => typed,
        };
        match roles::classify(&typed.ty, &app_alias) {
            None => errors.push(roles::refused(&typed.ty)),
            // The `cli` value is a parameter of its own, beside the two others.
            Some(role) if is_cli(cli, &typed.ty) => params.push(Param {
                role,
                ty_span: typed.ty.span(),
            }),
            Some(role)
                if params
                    .iter()
                    .filter(|param| param.role.same(&role))
                    .filter(|param| !matches!(&param.role, Role::Arg(ty) if is_cli(cli, ty)))
                    .count()
                    >= role.limit() =>
            {
                errors.push(syn::Error::new_spanned(&typed.ty, role.too_many()));
            }
            Some(role) => params.push(Param {
                role,
                ty_span: typed.ty.span(),
            }),
        }
    }
    params
}

/// The text of the file that holds `main`, where a `use … App as Name;` can be seen (only
/// inside a compiler that knows source files).
fn main_source() -> Option<String> {
    if !proc_macro::is_available() {
        return None;
    }
    let path = proc_macro::Span::call_site().local_file()?;
    std::fs::read_to_string(path).ok()
}

fn last_token_span(tokens: impl ToTokens) -> Span {
    tokens
        .to_token_stream()
        .into_iter()
        .last()
        .map_or_else(Span::call_site, |token| token.span())
}
