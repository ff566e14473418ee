//! Parsing of the attribute arguments: `#[twelve_factor::main(port = 3000, …)]`.
//!
//! Each argument is parsed and checked on its own here (its type, its range, its spelling);
//! rules that involve several arguments or the function live in `valid`.

use super::listeners::{self, Listener};
use crate::diag::Errors;
use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use std::time::Duration;
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::{Ident, Lit, LitInt, LitStr, Token};

/// The runtime flavour the expansion builds.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Flavor {
    CurrentThread,
    MultiThread,
    /// A current-thread runtime driving a `LocalSet`, so `tokio::task::spawn_local` works.
    Local,
    /// A current-thread runtime driving an actix `System` (the `actix` feature).
    Actix,
}

/// What the runtime does about logging.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Log {
    Text,
    Json,
    Off,
}

/// The arguments as written, each already well-typed, with the spans later rules point at.
#[derive(Default)]
pub(crate) struct Args {
    pub port: Option<u16>,
    pub flavor: Option<(Flavor, Span)>,
    pub worker_threads: Option<(usize, Span)>,
    pub name: Option<String>,
    pub shutdown_timeout: Option<Duration>,
    pub log: Option<(Log, Span)>,
    pub krate: Option<syn::Path>,
    /// `listeners(admin = 9091)`: the extra listeners, in the order written.
    pub listeners: Vec<Listener>,
    /// `cli = Cli::parse`: the program's own command-line parser, called before the
    /// environment is read; its value goes to the parameter of type `Cli`.
    pub cli: Option<syn::Path>,
    /// `layer = path::to_fn`: the service's own tracing layer, beside the runtime's.
    pub layer: Option<syn::Path>,
}

impl Args {
    /// Whether the user turned logging off (`log = "off"`) and brings their own subscriber.
    pub(crate) fn log_off(&self) -> bool {
        matches!(self.log, Some((Log::Off, _)))
    }

    /// Parses `args`; every problem becomes one error on the offending tokens, combined.
    pub(crate) fn parse(args: TokenStream) -> syn::Result<Args> {
        let pairs = Punctuated::<Pair, Token![,]>::parse_terminated.parse2(args)?;
        let mut parsed = Args::default();
        let mut errors = Errors::default();
        let mut seen: Vec<&str> = Vec::new();
        for pair in pairs {
            let key = match pair.key() {
                Ok(key) => key,
                Err(error) => {
                    errors.push(error);
                    continue;
                }
            };
            if seen.contains(&key.name) {
                errors.push(syn::Error::new_spanned(
                    &pair.key,
                    format!("duplicate argument `{}`", key.name),
                ));
                continue;
            }
            seen.push(key.name);
            if let Err(error) = (key.set)(&mut parsed, &pair) {
                errors.push(error);
            }
        }
        errors.finish()?;
        Ok(parsed)
    }
}

/// One argument the attribute knows: its name and how it is parsed into [`Args`].
struct Key {
    name: &'static str,
    /// Parses the value into `args`; for a refused key, the error saying why.
    set: fn(&mut Args, &Pair) -> syn::Result<()>,
    /// Listed in "expected one of" (a refused key is known, but not offered).
    offered: bool,
}

/// THE table of arguments, in the order the error message lists them.
#[rustfmt::skip]
const KEYS: &[Key] = &[
    Key { name: "port", set: set_port, offered: true },
    Key { name: "listeners", set: set_listeners, offered: true },
    Key { name: "flavor", set: set_flavor, offered: true },
    Key { name: "worker_threads", set: set_worker_threads, offered: true },
    Key { name: "name", set: set_name, offered: true },
    Key { name: "shutdown_timeout", set: set_shutdown_timeout, offered: true },
    Key { name: "log", set: set_log, offered: true },
    Key { name: "crate", set: set_crate, offered: true },
    Key { name: "cli", set: set_cli, offered: true },
    Key { name: "layer", set: set_layer, offered: true },
    Key { name: "start_paused", set: refuse_start_paused, offered: false },
];

fn set_port(args: &mut Args, pair: &Pair) -> syn::Result<()> {
    let lit = pair.int("port = 3000")?;
    let port = lit.base10_parse::<u64>()?;
    let port = u16::try_from(port).map_err(|_| {
        syn::Error::new(
            lit.span(),
            format!("`port` must be from 0 to 65535, found {port}"),
        )
    })?;
    args.port = Some(port);
    Ok(())
}

fn set_listeners(args: &mut Args, pair: &Pair) -> syn::Result<()> {
    let Some(content) = &pair.list else {
        return Err(syn::Error::new_spanned(
            &pair.value,
            "`listeners` expects a list, e.g. `listeners(admin = 9091, grpc = 50051)`",
        ));
    };
    let mut errors = Errors::default();
    args.listeners = listeners::parse(content.clone(), &mut errors);
    errors.finish()
}

fn set_worker_threads(args: &mut Args, pair: &Pair) -> syn::Result<()> {
    let lit = pair.int("worker_threads = 4")?;
    let threads = lit.base10_parse::<usize>()?;
    if threads == 0 {
        return Err(syn::Error::new(
            lit.span(),
            "`worker_threads` must be at least 1",
        ));
    }
    args.worker_threads = Some((threads, lit.span()));
    Ok(())
}

fn set_flavor(args: &mut Args, pair: &Pair) -> syn::Result<()> {
    let lit = pair.str("flavor = \"multi_thread\"")?;
    let flavor = match lit.value().as_str() {
        "current_thread" => Flavor::CurrentThread,
        "multi_thread" => Flavor::MultiThread,
        "local" => Flavor::Local,
        "actix" => Flavor::Actix,
        other => {
            return Err(syn::Error::new(
                lit.span(),
                format!("unknown flavor `{other}`; expected `\"multi_thread\"`, `\"current_thread\"`, `\"local\"` or `\"actix\"`"),
            ))
        }
    };
    args.flavor = Some((flavor, lit.span()));
    Ok(())
}

fn set_name(args: &mut Args, pair: &Pair) -> syn::Result<()> {
    let lit = pair.str("name = \"my-service\"")?;
    let name = lit.value();
    if name.is_empty() || name.contains('\0') {
        return Err(syn::Error::new(
            lit.span(),
            "`name` names the runtime's threads: a non-empty string without NUL bytes",
        ));
    }
    args.name = Some(name);
    Ok(())
}

fn set_shutdown_timeout(args: &mut Args, pair: &Pair) -> syn::Result<()> {
    let lit = pair.str("shutdown_timeout = \"10s\"")?;
    let timeout = crate::duration::parse(&lit.value()).ok_or_else(|| {
        syn::Error::new(
            lit.span(),
            format!(
                "invalid `shutdown_timeout` {:?}: {}",
                lit.value(),
                crate::duration::EXPECTED
            ),
        )
    })?;
    args.shutdown_timeout = Some(timeout);
    Ok(())
}

fn set_log(args: &mut Args, pair: &Pair) -> syn::Result<()> {
    let lit = pair.str("log = \"json\"")?;
    let log = match lit.value().as_str() {
        "text" => Log::Text,
        "json" => Log::Json,
        "off" => Log::Off,
        other => {
            return Err(syn::Error::new(
                lit.span(),
                format!(
                    "unknown log format `{other}`; expected `\"text\"`, `\"json\"` or `\"off\"`"
                ),
            ))
        }
    };
    args.log = Some((log, lit.span()));
    Ok(())
}

fn set_crate(args: &mut Args, pair: &Pair) -> syn::Result<()> {
    let lit = pair.str("crate = \"twelve_factor\"")?;
    args.krate = Some(lit.parse::<syn::Path>().map_err(|_| {
        syn::Error::new(
            lit.span(),
            format!("`crate` must be a path such as `\"my_alias\"` or `\"::twelve_factor\"`, found {:?}", lit.value()),
        )
    })?);
    Ok(())
}

fn set_cli(args: &mut Args, pair: &Pair) -> syn::Result<()> {
    match &pair.value {
        Some(syn::Expr::Path(path)) if path.qself.is_none() && path.path.segments.len() >= 2 => {
            args.cli = Some(path.path.clone());
            Ok(())
        }
        _ => Err(pair.wrong_type(
            "the path of the function that parses the command line, on its type",
            "cli = Cli::parse",
        )),
    }
}

fn set_layer(args: &mut Args, pair: &Pair) -> syn::Result<()> {
    match &pair.value {
        Some(syn::Expr::Path(path)) if path.qself.is_none() && path.attrs.is_empty() => {
            args.layer = Some(path.path.clone());
            Ok(())
        }
        _ => Err(pair.wrong_type(
            "a path to a function returning `twelve_factor::LogLayer`",
            "layer = telemetry::layer",
        )),
    }
}

fn refuse_start_paused(_: &mut Args, pair: &Pair) -> syn::Result<()> {
    Err(syn::Error::new_spanned(
        &pair.key,
        "`start_paused` is not supported: a paused clock is for tests \
         (`#[tokio::test(start_paused = true)]`); a service's shutdown deadline, \
         watchdog and timers need real time",
    ))
}

fn unknown(tokens: impl ToTokens, key: &str) -> syn::Error {
    let offered: Vec<String> = KEYS
        .iter()
        .filter(|key| key.offered)
        .map(|key| format!("`{}`", key.name))
        .collect();
    syn::Error::new_spanned(
        tokens,
        format!(
            "unknown argument `{key}`; expected one of {}",
            offered.join(", ")
        ),
    )
}

/// One argument: `key = value`, or a bare key or path (always an error, reported with the
/// whole key underlined).
struct Pair {
    /// The key's tokens: one identifier, or a path such as `threadpool::bar`.
    key: Punctuated<Ident, Token![::]>,
    value: Option<syn::Expr>,
    /// The inside of `key(…)`, as in `listeners(admin = 9091)`.
    list: Option<TokenStream>,
}

impl Parse for Pair {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let mut key = Punctuated::new();
        key.push_value(Ident::parse_any(input)?);
        while input.peek(Token![::]) {
            key.push_punct(input.parse()?);
            key.push_value(Ident::parse_any(input)?);
        }
        let mut list = None;
        let value = if input.peek(Token![=]) {
            input.parse::<Token![=]>()?;
            Some(input.parse()?)
        } else if input.peek(syn::token::Paren) {
            let content;
            syn::parenthesized!(content in input);
            list = Some(content.parse()?);
            None
        } else {
            None
        };
        Ok(Pair { key, value, list })
    }
}

impl Pair {
    /// The key's entry, or the error for a path key, an unknown key or a key without a value.
    fn key(&self) -> syn::Result<&'static Key> {
        let name = self
            .key
            .iter()
            .map(|ident| ident.unraw().to_string())
            .collect::<Vec<_>>()
            .join("::");
        let known = KEYS.iter().find(|key| key.name == name);
        let Some(key) = known.filter(|_| self.key.len() == 1) else {
            return Err(unknown(&self.key, &name));
        };
        // Only `listeners` takes a list; every other key needs `= value`.
        let listed = self.list.is_some() && key.name == "listeners";
        if self.value.is_none() && !listed {
            return Err(syn::Error::new_spanned(
                &self.key,
                format!("`{name}` needs a value: arguments are written as `{name} = …`"),
            ));
        }
        Ok(key)
    }

    fn lit(&self) -> Option<&Lit> {
        match &self.value {
            Some(syn::Expr::Lit(expr)) => Some(&expr.lit),
            _ => None,
        }
    }

    fn int(&self, example: &str) -> syn::Result<&LitInt> {
        match self.lit() {
            Some(Lit::Int(lit)) if lit.suffix().is_empty() => Ok(lit),
            _ => Err(self.wrong_type("an integer", example)),
        }
    }

    fn str(&self, example: &str) -> syn::Result<&LitStr> {
        match self.lit() {
            Some(Lit::Str(lit)) => Ok(lit),
            _ => Err(self.wrong_type("a string", example)),
        }
    }

    fn wrong_type(&self, what: &str, example: &str) -> syn::Error {
        let name = self.key().map_or("", |key| key.name);
        syn::Error::new_spanned(
            &self.value,
            format!("`{name}` expects {what}, e.g. `{example}`"),
        )
    }
}
