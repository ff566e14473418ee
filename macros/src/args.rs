//! Parsing of the attribute arguments: `#[twelve_factor::main(port = 3000, …)]`.
//!
//! Each argument is parsed and checked on its own here (its type, its range, its spelling);
//! rules that involve several arguments or the function live in `valid`.

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use std::time::Duration;
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::{Ident, Lit, LitInt, LitStr, Token};

/// The accepted keys, in the order the error message lists them.
const KEYS: &str =
    "`port`, `listeners`, `flavor`, `worker_threads`, `name`, `shutdown_timeout`, `log`, `crate`";

/// The runtime flavour the expansion builds.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Flavor {
    CurrentThread,
    MultiThread,
    /// A current-thread runtime driving a `LocalSet`, so `tokio::task::spawn_local` works.
    Local,
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
    pub listeners: Vec<crate::listeners::Listener>,
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
        let mut seen: Vec<String> = Vec::new();
        for pair in pairs {
            let key = match pair.key() {
                Ok(key) => key,
                Err(error) => {
                    errors.push(error);
                    continue;
                }
            };
            if seen.contains(&key) {
                errors.push(syn::Error::new_spanned(
                    &pair.key,
                    format!("duplicate argument `{key}`"),
                ));
                continue;
            }
            seen.push(key.clone());
            if let Err(error) = parsed.set(&key, &pair) {
                errors.push(error);
            }
        }
        errors.finish()?;
        Ok(parsed)
    }

    fn set(&mut self, key: &str, pair: &Pair) -> syn::Result<()> {
        match key {
            "listeners" => {
                let Some(content) = &pair.list else {
                    return Err(syn::Error::new_spanned(
                        &pair.value,
                        "`listeners` expects a list, e.g. `listeners(admin = 9091, grpc = 50051)`",
                    ));
                };
                let mut errors = Errors::default();
                self.listeners = crate::listeners::parse(content.clone(), &mut errors);
                errors.finish()?;
            }
            "port" => {
                let lit = pair.int("port = 3000")?;
                let port = lit.base10_parse::<u64>()?;
                let port = u16::try_from(port).map_err(|_| {
                    syn::Error::new(
                        lit.span(),
                        format!("`port` must be from 0 to 65535, found {port}"),
                    )
                })?;
                self.port = Some(port);
            }
            "worker_threads" => {
                let lit = pair.int("worker_threads = 4")?;
                let threads = lit.base10_parse::<usize>()?;
                if threads == 0 {
                    return Err(syn::Error::new(
                        lit.span(),
                        "`worker_threads` must be at least 1",
                    ));
                }
                self.worker_threads = Some((threads, lit.span()));
            }
            "flavor" => {
                let lit = pair.str("flavor = \"multi_thread\"")?;
                let flavor = match lit.value().as_str() {
                    "current_thread" => Flavor::CurrentThread,
                    "multi_thread" => Flavor::MultiThread,
                    "local" => Flavor::Local,
                    other => {
                        return Err(syn::Error::new(
                            lit.span(),
                            format!("unknown flavor `{other}`; expected `\"multi_thread\"`, `\"current_thread\"` or `\"local\"`"),
                        ))
                    }
                };
                self.flavor = Some((flavor, lit.span()));
            }
            "name" => {
                let lit = pair.str("name = \"my-service\"")?;
                let name = lit.value();
                if name.is_empty() || name.contains('\0') {
                    return Err(syn::Error::new(
                        lit.span(),
                        "`name` names the runtime's threads: a non-empty string without NUL bytes",
                    ));
                }
                self.name = Some(name);
            }
            "shutdown_timeout" => {
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
                self.shutdown_timeout = Some(timeout);
            }
            "log" => {
                let lit = pair.str("log = \"json\"")?;
                let log = match lit.value().as_str() {
                    "text" => Log::Text,
                    "json" => Log::Json,
                    "off" => Log::Off,
                    other => {
                        return Err(syn::Error::new(
                            lit.span(),
                            format!("unknown log format `{other}`; expected `\"text\"`, `\"json\"` or `\"off\"`"),
                        ))
                    }
                };
                self.log = Some((log, lit.span()));
            }
            "crate" => {
                let lit = pair.str("crate = \"twelve_factor\"")?;
                self.krate = Some(lit.parse::<syn::Path>().map_err(|_| {
                    syn::Error::new(
                        lit.span(),
                        format!("`crate` must be a path such as `\"my_alias\"` or `\"::twelve_factor\"`, found {:?}", lit.value()),
                    )
                })?);
            }
            "start_paused" => {
                return Err(syn::Error::new_spanned(
                    &pair.key,
                    "`start_paused` is not supported: a paused clock is for tests \
                     (`#[tokio::test(start_paused = true)]`); a service's shutdown deadline, \
                     watchdog and timers need real time",
                ))
            }
            _ => return Err(unknown(&pair.key, key)),
        }
        Ok(())
    }
}

fn unknown(tokens: impl ToTokens, key: &str) -> syn::Error {
    syn::Error::new_spanned(
        tokens,
        format!("unknown argument `{key}`; expected one of {KEYS}"),
    )
}

/// Whether `key` is one this attribute knows (accepted, or refused with a reason).
fn known(key: &str) -> bool {
    matches!(
        key,
        "port"
            | "listeners"
            | "flavor"
            | "worker_threads"
            | "name"
            | "shutdown_timeout"
            | "log"
            | "crate"
            | "start_paused"
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
    /// The key's name, or the error for a path key or a key without a value.
    fn key(&self) -> syn::Result<String> {
        let name = self
            .key
            .iter()
            .map(|ident| ident.unraw().to_string())
            .collect::<Vec<_>>()
            .join("::");
        if self.key.len() > 1 || !known(&name) {
            return Err(unknown(&self.key, &name));
        }
        if self.list.is_some() && name != "listeners" {
            return Err(syn::Error::new_spanned(
                &self.key,
                format!("`{name}` needs a value: arguments are written as `{name} = …`"),
            ));
        }
        if self.value.is_none() && self.list.is_none() {
            return Err(syn::Error::new_spanned(
                &self.key,
                format!("`{name}` needs a value: arguments are written as `{name} = …`"),
            ));
        }
        Ok(name)
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
        let name = self.key().unwrap_or_default();
        syn::Error::new_spanned(
            &self.value,
            format!("`{name}` expects {what}, e.g. `{example}`"),
        )
    }
}

/// Collects errors so that every problem is reported in one compile.
#[derive(Default)]
pub(crate) struct Errors(Option<syn::Error>);

impl Errors {
    pub(crate) fn push(&mut self, error: syn::Error) {
        match &mut self.0 {
            Some(all) => all.combine(error),
            None => self.0 = Some(error),
        }
    }

    pub(crate) fn finish(self) -> syn::Result<()> {
        self.0.map_or(Ok(()), Err)
    }
}
