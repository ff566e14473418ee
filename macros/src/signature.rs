//! Validation of the function the attribute is applied to.

use crate::args::{Args, Errors};
use syn::spanned::Spanned;
use syn::{FnArg, ItemFn, Signature};

/// What the expansion needs to know about `main`'s shape.
pub(crate) struct Shape {
    /// `main` takes the `App` argument.
    pub takes_app: bool,
    /// The type of `main`'s second argument, a `#[derive(Config)]` struct.
    pub config: Option<Box<syn::Type>>,
}

/// Checks that `item` is a form `#[twelve_factor::main]` accepts; every problem is an error on
/// the offending token.
pub(crate) fn validate(item: &ItemFn, args: &Args) -> syn::Result<Shape> {
    let sig = &item.sig;
    let mut errors = Errors::default();
    qualifiers(sig, &mut errors);
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
    for input in sig.inputs.iter().skip(2) {
        errors.push(syn::Error::new(
            input.span(),
            "`main` takes at most two arguments: `app: twelve_factor::App` and a `#[derive(twelve_factor::Config)]` struct",
        ));
    }
    if let Some(FnArg::Receiver(receiver)) = sig.inputs.first() {
        errors.push(syn::Error::new_spanned(
            receiver,
            "`main` cannot take `self`; its one optional argument is `app: twelve_factor::App`",
        ));
    }
    if sig.asyncness.is_none() {
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
    errors.finish()?;
    let config = match sig.inputs.iter().nth(1) {
        Some(FnArg::Typed(input)) => Some(input.ty.clone()),
        _ => None,
    };
    Ok(Shape {
        takes_app: !sig.inputs.is_empty(),
        config,
    })
}

fn qualifiers(sig: &Signature, errors: &mut Errors) {
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
}
