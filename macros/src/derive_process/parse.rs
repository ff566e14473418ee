//! Reads the enum and its `#[process(..)]` attributes into plain data; checks only shape and
//! syntax: an enum, unit variants, known keys given once each.

use crate::diag::Errors;
use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{Attribute, Data, DeriveInput, Fields, Ident, Lit, LitStr, Token};

const ENUM_KEYS: &str = "`crate`";
const VARIANT_KEYS: &str = "`default`, `one_off`, `name`";
const SHAPE: &str = "one unit variant per process type (`enum Kind { Web, Worker }`)";

/// The enum as written.
pub(crate) struct Input {
    pub ident: Ident,
    pub krate: Option<syn::Path>,
    pub variants: Vec<Variant>,
}

/// One variant as written.
pub(crate) struct Variant {
    pub ident: Ident,
    /// The first paragraph of its doc comment, lines trimmed and joined with spaces.
    pub doc: String,
    /// `default`: the key's span.
    pub default: Option<Span>,
    /// `one_off`: the key's span.
    pub one_off: Option<Span>,
    /// `name = "…"`.
    pub name: Option<LitStr>,
}

pub(crate) fn parse(input: &DeriveInput) -> syn::Result<Input> {
    let mut errors = Errors::default();
    let variants = match &input.data {
        Data::Enum(data) => Some(&data.variants),
        Data::Struct(data) => {
            errors.push(syn::Error::new(
                data.struct_token.span(),
                format!("#[derive(Process)] needs an enum with {SHAPE}, not a struct"),
            ));
            None
        }
        Data::Union(data) => {
            errors.push(syn::Error::new(
                data.union_token.span(),
                format!("#[derive(Process)] needs an enum with {SHAPE}, not a union"),
            ));
            None
        }
    };
    if !input.generics.params.is_empty() {
        errors.push(syn::Error::new_spanned(
            &input.generics,
            "#[derive(Process)] does not support generic enums: a process type is a unit variant, selected by its name",
        ));
    }
    let mut krate = None;
    for attr in process_attrs(&input.attrs) {
        let result = attr.parse_nested_meta(|meta| {
            let key = key_of(&meta.path);
            match key.as_str() {
                "crate" => {
                    let lit = string(&meta)?;
                    let path = crate_path(&lit)?;
                    set_once(&mut krate, path, &meta.path)
                }
                "default" | "one_off" | "name" => Err(meta.error(format!(
                    "`{key}` goes on a variant, not on the enum; the enum accepts {ENUM_KEYS}"
                ))),
                _ => Err(meta.error(format!(
                    "unknown key `{key}`; on the enum, expected {ENUM_KEYS}"
                ))),
            }
        });
        if let Err(error) = result {
            errors.push(error);
        }
    }
    let mut parsed = Vec::new();
    for variant in variants.into_iter().flatten() {
        match parse_variant(variant) {
            Ok(variant) => parsed.push(variant),
            Err(error) => errors.push(error),
        }
    }
    errors.finish()?;
    Ok(Input {
        ident: input.ident.clone(),
        krate,
        variants: parsed,
    })
}

fn parse_variant(variant: &syn::Variant) -> syn::Result<Variant> {
    let mut errors = Errors::default();
    if !matches!(variant.fields, Fields::Unit) {
        errors.push(syn::Error::new(
            variant.fields.span(),
            format!(
                "process type `{}` cannot carry fields: a process type is a unit variant, selected by its name; read its settings with `#[derive(Config)]`",
                variant.ident
            ),
        ));
    }
    let mut parsed = Variant {
        ident: variant.ident.clone(),
        doc: first_paragraph(&variant.attrs),
        default: None,
        one_off: None,
        name: None,
    };
    for attr in process_attrs(&variant.attrs) {
        let result = attr.parse_nested_meta(|meta| {
            let key = key_of(&meta.path);
            match key.as_str() {
                "default" => flag(&mut parsed.default, &meta),
                "one_off" => flag(&mut parsed.one_off, &meta),
                "name" => set_once(&mut parsed.name, string(&meta)?, &meta.path),
                "crate" => Err(meta.error(format!(
                    "`crate` goes on the enum, not on a variant; a variant accepts {VARIANT_KEYS}"
                ))),
                _ => Err(meta.error(format!(
                    "unknown key `{key}`; on a variant, expected {VARIANT_KEYS}"
                ))),
            }
        });
        if let Err(error) = result {
            errors.push(error);
        }
    }
    errors.finish()?;
    Ok(parsed)
}

/// The `crate = "…"` of the enum's attributes, read leniently for the fallback: any problem
/// is reported by [`parse`], and the fallback then uses the default path.
pub(crate) fn crate_of(attrs: &[Attribute]) -> Option<syn::Path> {
    let mut krate = None;
    for attr in process_attrs(attrs) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("crate") {
                krate = Some(crate_path(&string(&meta)?)?);
            } else if meta.input.peek(Token![=]) {
                // Skip the value of a key the fallback does not need.
                meta.value()?.parse::<syn::Expr>()?;
            }
            Ok(())
        });
    }
    krate
}

fn process_attrs(attrs: &[Attribute]) -> impl Iterator<Item = &Attribute> {
    attrs.iter().filter(|attr| attr.path().is_ident("process"))
}

fn key_of(path: &syn::Path) -> String {
    path.get_ident().map_or_else(
        || quote::quote!(#path).to_string(),
        |ident| ident.unraw().to_string(),
    )
}

fn crate_path(lit: &LitStr) -> syn::Result<syn::Path> {
    lit.parse::<syn::Path>().map_err(|_| {
        syn::Error::new(
            lit.span(),
            "`crate` must be a path such as `\"tf\"` or `\"::twelve_factor\"`",
        )
    })
}

fn string(meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<LitStr> {
    let key = key_of(&meta.path);
    let value = meta
        .value()
        .map_err(|_| meta.error(format!("expected `{key} = \"…\"`")))?;
    match value.parse::<Lit>()? {
        Lit::Str(lit) => Ok(lit),
        other => Err(syn::Error::new(
            other.span(),
            format!("`{key}` expects a string, e.g. `{key} = \"…\"`"),
        )),
    }
}

/// A key without a value, given once.
fn flag(slot: &mut Option<Span>, meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<()> {
    let key = key_of(&meta.path);
    if meta.input.peek(Token![=]) || meta.input.peek(syn::token::Paren) {
        return Err(meta.error(format!("`{key}` takes no value: write `#[process({key})]`")));
    }
    if slot.is_some() {
        return Err(meta.error(format!("duplicate key `{key}`")));
    }
    *slot = Some(meta.path.span());
    Ok(())
}

fn set_once<T>(slot: &mut Option<T>, value: T, key: &syn::Path) -> syn::Result<()> {
    if slot.is_some() {
        return Err(syn::Error::new_spanned(
            key,
            format!("duplicate key `{}`", key_of(key)),
        ));
    }
    *slot = Some(value);
    Ok(())
}

/// The doc comment's first paragraph: its lines up to the first blank one, trimmed and joined
/// with spaces.
fn first_paragraph(attrs: &[Attribute]) -> String {
    let mut lines = Vec::new();
    for attr in attrs {
        let syn::Meta::NameValue(meta) = &attr.meta else {
            continue;
        };
        let syn::Expr::Lit(syn::ExprLit {
            lit: Lit::Str(lit), ..
        }) = &meta.value
        else {
            continue;
        };
        if !meta.path.is_ident("doc") {
            continue;
        }
        // A `/** … */` comment is one attribute with several lines.
        for line in lit.value().split('\n') {
            let line = line.trim();
            if line.is_empty() {
                if !lines.is_empty() {
                    return lines.join(" ");
                }
            } else {
                lines.push(line.to_owned());
            }
        }
    }
    lines.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_is_the_first_paragraph() {
        let variant: syn::Variant = syn::parse_quote! {
            /// Serves HTTP
            ///   on PORT.
            ///
            /// Not this.
            Web
        };
        assert_eq!(first_paragraph(&variant.attrs), "Serves HTTP on PORT.");
        let variant: syn::Variant = syn::parse_quote!(Web);
        assert_eq!(first_paragraph(&variant.attrs), "");
    }

    #[test]
    fn crate_of_skips_other_keys() {
        let input: DeriveInput = syn::parse_quote! {
            #[process(unknown = 3, crate = "tf")]
            struct Bad;
        };
        let krate = crate_of(&input.attrs).map(|path| quote::quote!(#path).to_string());
        assert_eq!(krate.as_deref(), Some("tf"));
    }
}
