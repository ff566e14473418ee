//! Checks the parsed struct: each field's type and keys, each variable's name (unique, not one
//! the runtime reads, not another's `_FILE` form), and defaults that can be checked at compile
//! time. Every problem is an error on the token at fault, all reported together.

use super::parse::{Field, Input};
use super::reserved::{RESERVED, RESERVED_PREFIXES};
use crate::diag::Errors;
use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::{GenericArgument, PathArguments, Type};

/// The validated struct, ready to expand.
pub(crate) struct Config {
    pub ident: syn::Ident,
    pub krate: syn::Path,
    pub prefix: String,
    pub fields: Vec<ValidField>,
}

/// One field, with its variable's name and how its text is parsed.
pub(crate) struct ValidField {
    pub ident: syn::Ident,
    pub name: String,
    pub doc: String,
    pub default: Option<String>,
    /// `Option<T>`: unset is `None`.
    pub optional: bool,
    pub secret: bool,
    /// How the text becomes the value (of `T` for `Option<T>`).
    pub kind: Kind,
}

/// How a value's text is parsed.
pub(crate) enum Kind {
    Bool,
    Duration,
    FromStr(Box<Type>),
    List(Box<Kind>),
    Secret(Box<Kind>),
}

pub(crate) fn validate(input: Input) -> syn::Result<Config> {
    let mut errors = Errors::default();
    let prefix = input.prefix.as_ref().map_or_else(String::new, |lit| {
        let prefix = lit.value();
        if let Some(why) = bad_name(&prefix, true) {
            errors.push(syn::Error::new(
                lit.span(),
                format!("invalid `prefix` {prefix:?}: {why}"),
            ));
        }
        prefix
    });
    let mut fields: Vec<(ValidField, Span)> = Vec::new();
    for field in &input.fields {
        if let Some((valid, span)) = validate_field(field, &prefix, &mut errors) {
            fields.push((valid, span));
        }
    }
    names(&fields, &mut errors);
    errors.finish()?;
    let krate = input
        .krate
        .unwrap_or_else(|| syn::parse_quote!(::twelve_factor));
    Ok(Config {
        ident: input.ident,
        krate,
        prefix,
        fields: fields.into_iter().map(|(field, _)| field).collect(),
    })
}

fn validate_field(field: &Field, prefix: &str, errors: &mut Errors) -> Option<(ValidField, Span)> {
    let (name, name_span) = match &field.env {
        Some(lit) => {
            let name = lit.value();
            if let Some(why) = bad_name(&name, false) {
                errors.push(syn::Error::new(
                    lit.span(),
                    format!("invalid `env` {name:?}: {why}"),
                ));
                return None;
            }
            (name, lit.span())
        }
        None => (
            format!(
                "{prefix}{}",
                screaming_snake(&field.ident.unraw().to_string())
            ),
            field.ident.span(),
        ),
    };
    let (optional, ty) = match generic_arg(&field.ty, "Option") {
        Some(inner) => (true, inner),
        None => (false, &field.ty),
    };
    let kind = kind(ty);
    let secret = kind.is_secret();
    if let (true, Some(key)) = (optional, field.default_key) {
        errors.push(syn::Error::new(
            key,
            "`default` on an `Option` field: unset already means `None`; remove `default`, or the `Option` to always have a value",
        ));
    }
    if let (false, Some(span)) = (secret, field.secret) {
        errors.push(syn::Error::new(
            span,
            format!(
                "`secret` needs the field's type to be `twelve_factor::Secret<{}>`, so that `Debug` and logs cannot show it",
                quote::quote!(#ty).to_string().replace(' ', "")
            ),
        ));
    }
    if let Some((text, span)) = &field.default {
        if let Some(why) = check_default(&kind, text) {
            errors.push(syn::Error::new(
                *span,
                format!("invalid default {text:?}: {why}"),
            ));
        }
    }
    Some((
        ValidField {
            ident: field.ident.clone(),
            name,
            doc: field.doc.clone(),
            default: field.default.as_ref().map(|(text, _)| text.clone()),
            optional,
            secret,
            kind,
        },
        name_span,
    ))
}

/// Names: unique, not the runtime's, not another variable's `_FILE`.
fn names(fields: &[(ValidField, Span)], errors: &mut Errors) {
    for (index, (field, span)) in fields.iter().enumerate() {
        let name = &field.name;
        if let Some((_, instead)) = RESERVED.iter().find(|(reserved, _)| reserved == name) {
            errors.push(syn::Error::new(
                *span,
                format!("`{name}` is read by the twelve_factor runtime itself: {instead}"),
            ));
            continue;
        }
        if let Some((family, instead)) = RESERVED_PREFIXES
            .iter()
            .find(|(family, _)| name.starts_with(family))
        {
            errors.push(syn::Error::new(
                *span,
                format!("`{name}`: variables starting with `{family}` are read by the twelve_factor runtime itself: {instead}"),
            ));
            continue;
        }
        if let Some((first, _)) = fields[..index]
            .iter()
            .find(|(other, _)| &other.name == name)
        {
            errors.push(syn::Error::new(
                *span,
                format!(
                    "two fields read `{name}`: `{}` already does; give one of them another `env`",
                    first.ident
                ),
            ));
            continue;
        }
        if let Some((base, _)) = fields
            .iter()
            .find(|(other, _)| name.strip_suffix("_FILE") == Some(other.name.as_str()))
        {
            errors.push(syn::Error::new(
                *span,
                format!("`{name}` is how field `{}` is read from a file (`{}_FILE`); give this field another name or `env`", base.ident, base.name),
            ));
        }
    }
}

impl Kind {
    fn is_secret(&self) -> bool {
        match self {
            Kind::Secret(_) => true,
            Kind::List(inner) => inner.is_secret(),
            _ => false,
        }
    }
}

fn kind(ty: &Type) -> Kind {
    if let Some(inner) = generic_arg(ty, "Vec") {
        return Kind::List(Box::new(kind(inner)));
    }
    if let Some(inner) = generic_arg(ty, "Secret") {
        return Kind::Secret(Box::new(kind(inner)));
    }
    match last_segment(ty) {
        Some(segment) if segment.arguments.is_none() && segment.ident == "bool" => Kind::Bool,
        Some(segment) if segment.arguments.is_none() && segment.ident == "Duration" => {
            Kind::Duration
        }
        _ => Kind::FromStr(Box::new(ty.clone())),
    }
}

fn last_segment(ty: &Type) -> Option<&syn::PathSegment> {
    match ty {
        Type::Path(path) if path.qself.is_none() => path.path.segments.last(),
        Type::Group(group) => last_segment(&group.elem),
        Type::Paren(paren) => last_segment(&paren.elem),
        _ => None,
    }
}

/// `T` when `ty` is `name<T>` (by its last path segment).
fn generic_arg<'a>(ty: &'a Type, name: &str) -> Option<&'a Type> {
    let segment = last_segment(ty)?;
    if segment.ident != name {
        return None;
    }
    match &segment.arguments {
        PathArguments::AngleBracketed(args) if args.args.len() == 1 => match &args.args[0] {
            GenericArgument::Type(inner) => Some(inner),
            _ => None,
        },
        _ => None,
    }
}

/// Defaults whose type the macro knows are checked now rather than at every start.
fn check_default(kind: &Kind, text: &str) -> Option<String> {
    match kind {
        Kind::Bool => {
            let ok = ["true", "false", "1", "0", "yes", "no", "on", "off"]
                .iter()
                .any(|word| word.eq_ignore_ascii_case(text));
            (!ok).then(|| "expected true/false, 1/0, yes/no or on/off".to_owned())
        }
        Kind::Duration => crate::duration::parse(text)
            .is_none()
            .then(|| crate::duration::EXPECTED.to_owned()),
        Kind::Secret(inner) => check_default(inner, text),
        Kind::List(inner) => text
            .split(',')
            .filter(|_| !text.trim().is_empty())
            .find_map(|item| check_default(inner, item.trim())),
        Kind::FromStr(ty) => {
            let segment = last_segment(ty)?;
            if !segment.arguments.is_none() {
                return None;
            }
            let ok = match segment.ident.to_string().as_str() {
                "u8" => text.parse::<u8>().is_ok(),
                "u16" => text.parse::<u16>().is_ok(),
                "u32" => text.parse::<u32>().is_ok(),
                "u64" => text.parse::<u64>().is_ok(),
                "u128" => text.parse::<u128>().is_ok(),
                "usize" => text.parse::<usize>().is_ok(),
                "i8" => text.parse::<i8>().is_ok(),
                "i16" => text.parse::<i16>().is_ok(),
                "i32" => text.parse::<i32>().is_ok(),
                "i64" => text.parse::<i64>().is_ok(),
                "i128" => text.parse::<i128>().is_ok(),
                "isize" => text.parse::<isize>().is_ok(),
                "f32" | "f64" => text.parse::<f64>().is_ok(),
                _ => return None,
            };
            (!ok).then(|| format!("not a valid `{}`", segment.ident))
        }
    }
}

/// `None` when `name` is a usable variable name (or prefix).
fn bad_name(name: &str, is_prefix: bool) -> Option<&'static str> {
    if name.is_empty() {
        return Some(if is_prefix {
            "the prefix is empty; leave `prefix` out instead"
        } else {
            "the name is empty"
        });
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        return Some("a variable name cannot start with a digit");
    }
    if !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return Some("use letters, digits and `_` only, as shells and process managers require");
    }
    None
}

/// `database_url` → `DATABASE_URL`; `apiToken` → `API_TOKEN`.
fn screaming_snake(field: &str) -> String {
    let mut name = String::with_capacity(field.len() + 4);
    let mut previous_lower = false;
    for c in field.chars() {
        if c.is_ascii_uppercase() && previous_lower {
            name.push('_');
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        name.push(c.to_ascii_uppercase());
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_fields() {
        assert_eq!(screaming_snake("database_url"), "DATABASE_URL");
        assert_eq!(screaming_snake("apiToken"), "API_TOKEN");
        assert_eq!(screaming_snake("s3_bucket"), "S3_BUCKET");
    }

    #[test]
    fn compile_time_defaults() {
        assert!(check_default(&Kind::Bool, "Yes").is_none());
        assert!(check_default(&Kind::Bool, "maybe").is_some());
        assert!(check_default(&Kind::Duration, "30s").is_none());
        assert!(check_default(&Kind::Duration, "30 seconds").is_some());
        let u16_ty: Type = syn::parse_quote!(u16);
        assert!(check_default(&Kind::FromStr(Box::new(u16_ty.clone())), "4").is_none());
        assert!(check_default(&Kind::FromStr(Box::new(u16_ty.clone())), "70000").is_some());
        let list = Kind::List(Box::new(Kind::FromStr(Box::new(u16_ty))));
        assert!(check_default(&list, "").is_none());
        assert!(check_default(&list, "1, 2").is_none());
        assert!(check_default(&list, "1,x").is_some());
    }
}
