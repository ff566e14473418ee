//! Parsing and validation of the attribute arguments: `#[twelve_factor::main(port = 3000, …)]`.

use proc_macro2::{Span, TokenStream};
use std::time::Duration;
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::{Ident, Lit, LitInt, LitStr, Token};

/// The accepted keys, in the order the error message lists them.
const KEYS: &str = "`port`, `flavor`, `worker_threads`, `shutdown_timeout`, `log`, `crate`";

/// The runtime flavour the expansion builds.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Flavor {
    CurrentThread,
    MultiThread,
}

/// What the runtime does about logging.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Log {
    Text,
    Json,
    Off,
}

/// The validated arguments, with the spans later checks point at.
pub(crate) struct Args {
    pub port: Option<u16>,
    pub flavor: Option<(Flavor, Span)>,
    pub worker_threads: Option<(usize, Span)>,
    pub shutdown_timeout: Option<Duration>,
    pub log: Option<Log>,
    pub krate: Option<syn::Path>,
}

impl Args {
    /// The arguments used to keep expanding after an argument error, so that only that error shows.
    pub(crate) fn default_for_errors() -> Args {
        Args {
            port: None,
            flavor: None,
            worker_threads: None,
            shutdown_timeout: None,
            log: None,
            krate: None,
        }
    }

    /// Parses `args`; every problem becomes one error on the offending token, combined.
    pub(crate) fn parse(args: TokenStream) -> syn::Result<Args> {
        let pairs = Punctuated::<Pair, Token![,]>::parse_terminated.parse2(args)?;
        let mut parsed = Args::default_for_errors();
        let mut errors = Errors::default();
        let mut seen: Vec<String> = Vec::new();
        for pair in pairs {
            let key = pair.key.unraw().to_string();
            if seen.contains(&key) {
                errors.push(syn::Error::new(
                    pair.key.span(),
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
        if let (Some((Flavor::CurrentThread, _)), Some((_, span))) =
            (parsed.flavor, parsed.worker_threads)
        {
            return Err(syn::Error::new(
                span,
                "`worker_threads` needs `flavor = \"multi_thread\"`; the current-thread runtime runs on one thread",
            ));
        }
        Ok(parsed)
    }

    fn set(&mut self, key: &str, pair: &Pair) -> syn::Result<()> {
        match key {
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
                    other => {
                        return Err(syn::Error::new(
                            lit.span(),
                            format!("unknown flavor `{other}`; expected `\"current_thread\"` or `\"multi_thread\"`"),
                        ))
                    }
                };
                self.flavor = Some((flavor, lit.span()));
            }
            "shutdown_timeout" => {
                let lit = pair.str("shutdown_timeout = \"10s\"")?;
                let timeout = crate::duration::parse(&lit.value()).map_err(|why| {
                    syn::Error::new(
                        lit.span(),
                        format!("invalid `shutdown_timeout` {:?}: {why}", lit.value()),
                    )
                })?;
                self.shutdown_timeout = Some(timeout);
            }
            "log" => {
                let lit = pair.str("log = \"json\"")?;
                self.log = Some(match lit.value().as_str() {
                    "text" => Log::Text,
                    "json" => Log::Json,
                    "off" => Log::Off,
                    other => {
                        return Err(syn::Error::new(
                            lit.span(),
                            format!("unknown log format `{other}`; expected `\"text\"`, `\"json\"` or `\"off\"`"),
                        ))
                    }
                });
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
            _ => {
                return Err(syn::Error::new(
                    pair.key.span(),
                    format!("unknown argument `{key}`; expected one of {KEYS}"),
                ))
            }
        }
        Ok(())
    }
}

/// One `key = value` argument.
struct Pair {
    key: Ident,
    value: syn::Expr,
}

impl Parse for Pair {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let key = Ident::parse_any(input)?;
        if !input.peek(Token![=]) {
            return Err(syn::Error::new(
                key.span(),
                format!(
                    "expected `{} = …`; arguments are written as `key = value`",
                    key.unraw()
                ),
            ));
        }
        input.parse::<Token![=]>()?;
        let value = input.parse()?;
        Ok(Pair { key, value })
    }
}

impl Pair {
    fn lit(&self) -> Option<&Lit> {
        match &self.value {
            syn::Expr::Lit(expr) => Some(&expr.lit),
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
        syn::Error::new_spanned(
            &self.value,
            format!("`{}` expects {what}, e.g. `{example}`", self.key.unraw()),
        )
    }
}

/// Collects errors so that every bad argument is reported in one compile.
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
