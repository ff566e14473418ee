//! Reads the struct and its `#[config(..)]` attributes into plain data; checks only syntax.

use crate::diag::Errors;
use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{Attribute, Data, DeriveInput, Fields, Ident, Lit, LitStr, Token, Type};

const STRUCT_KEYS: &str = "`prefix`, `crate`";
const FIELD_KEYS: &str = "`default`, `secret`, `env`";

/// The struct as written.
pub(crate) struct Input {
    pub ident: Ident,
    pub prefix: Option<LitStr>,
    pub krate: Option<syn::Path>,
    pub fields: Vec<Field>,
}

/// One field as written.
pub(crate) struct Field {
    pub ident: Ident,
    pub ty: Type,
    pub doc: String,
    /// `default = "…"`: the text, and the literal's span.
    pub default: Option<(String, Span)>,
    /// `default` key span (errors about the key itself point here).
    pub default_key: Option<Span>,
    /// `secret`: its span.
    pub secret: Option<Span>,
    pub env: Option<LitStr>,
}

pub(crate) fn parse(input: &DeriveInput) -> syn::Result<Input> {
    let mut errors = Errors::default();
    let named = match &input.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(named) => Some(named),
            Fields::Unnamed(fields) => {
                errors.push(syn::Error::new(fields.span(), "#[derive(Config)] needs a struct with named fields: each field's name becomes its variable's name (`database_url` → `DATABASE_URL`)"));
                None
            }
            Fields::Unit => {
                errors.push(syn::Error::new(input.ident.span(), "#[derive(Config)] needs a struct with named fields, one per environment variable"));
                None
            }
        },
        Data::Enum(data) => {
            errors.push(syn::Error::new(
                data.enum_token.span(),
                "#[derive(Config)] needs a struct with named fields, not an enum",
            ));
            None
        }
        Data::Union(data) => {
            errors.push(syn::Error::new(
                data.union_token.span(),
                "#[derive(Config)] needs a struct with named fields, not a union",
            ));
            None
        }
    };
    if !input.generics.params.is_empty() {
        errors.push(syn::Error::new_spanned(
            &input.generics,
            "#[derive(Config)] does not support generic structs: each field needs one concrete type to parse",
        ));
    }
    let mut prefix = None;
    let mut krate = None;
    for attr in config_attrs(&input.attrs) {
        let result = attr.parse_nested_meta(|meta| {
            let key = key_of(&meta.path);
            match key.as_str() {
                "prefix" => set_once(&mut prefix, string(&meta)?, &meta.path),
                "crate" => {
                    let lit = string(&meta)?;
                    let path = lit.parse::<syn::Path>().map_err(|_| {
                        syn::Error::new(
                            lit.span(),
                            "`crate` must be a path such as `\"tf\"` or `\"::twelve_factor\"`",
                        )
                    })?;
                    set_once(&mut krate, path, &meta.path)
                }
                "default" | "secret" | "env" => Err(meta.error(format!(
                    "`{key}` goes on a field, not on the struct; the struct accepts {STRUCT_KEYS}"
                ))),
                _ => Err(meta.error(format!(
                    "unknown key `{key}`; on the struct, expected {STRUCT_KEYS}"
                ))),
            }
        });
        if let Err(error) = result {
            errors.push(error);
        }
    }
    let mut fields = Vec::new();
    for field in named.map(|named| named.named.iter()).into_iter().flatten() {
        match parse_field(field) {
            Ok(parsed) => fields.push(parsed),
            Err(error) => errors.push(error),
        }
    }
    errors.finish()?;
    Ok(Input {
        ident: input.ident.clone(),
        prefix,
        krate,
        fields,
    })
}

fn parse_field(field: &syn::Field) -> syn::Result<Field> {
    let ident = field
        .ident
        .clone()
        .ok_or_else(|| syn::Error::new(field.span(), "expected a named field"))?;
    let mut parsed = Field {
        ident,
        ty: field.ty.clone(),
        doc: doc(&field.attrs),
        default: None,
        default_key: None,
        secret: None,
        env: None,
    };
    let mut errors = Errors::default();
    for attr in config_attrs(&field.attrs) {
        let result = attr.parse_nested_meta(|meta| {
            let key = key_of(&meta.path);
            match key.as_str() {
                "default" => {
                    if parsed.default.is_some() {
                        return Err(meta.error("duplicate key `default`"));
                    }
                    let value = meta.value()?;
                    let lit: Lit = value.parse()?;
                    let text = match &lit {
                        Lit::Str(lit) => lit.value(),
                        Lit::Int(lit) if lit.suffix().is_empty() => lit.base10_digits().to_owned(),
                        Lit::Float(lit) if lit.suffix().is_empty() => lit.base10_digits().to_owned(),
                        Lit::Bool(lit) => lit.value.to_string(),
                        _ => {
                            return Err(syn::Error::new(
                                lit.span(),
                                "`default` expects the variable's text, e.g. `default = \"4\"` or `default = \"30s\"`",
                            ))
                        }
                    };
                    parsed.default = Some((text, lit.span()));
                    parsed.default_key = Some(meta.path.span());
                    Ok(())
                }
                "secret" => {
                    if meta.input.peek(Token![=]) {
                        return Err(meta.error("`secret` takes no value: write `#[config(secret)]`"));
                    }
                    if parsed.secret.is_some() {
                        return Err(meta.error("duplicate key `secret`"));
                    }
                    parsed.secret = Some(meta.path.span());
                    Ok(())
                }
                "env" => set_once(&mut parsed.env, string(&meta)?, &meta.path),
                "prefix" | "crate" => Err(meta.error(format!(
                    "`{key}` goes on the struct, not on a field; a field accepts {FIELD_KEYS}"
                ))),
                _ => Err(meta.error(format!(
                    "unknown key `{key}`; on a field, expected {FIELD_KEYS}"
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

fn config_attrs(attrs: &[Attribute]) -> impl Iterator<Item = &Attribute> {
    attrs.iter().filter(|attr| attr.path().is_ident("config"))
}

fn key_of(path: &syn::Path) -> String {
    path.get_ident().map_or_else(
        || quote::quote!(#path).to_string(),
        |ident| ident.unraw().to_string(),
    )
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

/// The doc comment's lines, trimmed and joined with spaces.
fn doc(attrs: &[Attribute]) -> String {
    let mut lines = Vec::new();
    for attr in attrs {
        if let syn::Meta::NameValue(meta) = &attr.meta {
            if meta.path.is_ident("doc") {
                if let syn::Expr::Lit(syn::ExprLit {
                    lit: Lit::Str(lit), ..
                }) = &meta.value
                {
                    let line = lit.value();
                    let line = line.trim();
                    if !line.is_empty() {
                        lines.push(line.to_owned());
                    }
                }
            }
        }
    }
    lines.join(" ")
}
