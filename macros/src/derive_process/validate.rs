//! Checks the parsed enum as a whole: at least one variant, at most one default, and names
//! that can be typed as a command-line argument and are unique after kebab-casing.

use super::parse::Input;
use crate::diag::Errors;
use proc_macro2::Span;
use syn::ext::IdentExt;

/// The validated enum, ready to expand.
pub(crate) struct Processes {
    pub ident: syn::Ident,
    pub krate: syn::Path,
    pub types: Vec<ValidType>,
}

/// One process type.
pub(crate) struct ValidType {
    pub variant: syn::Ident,
    pub name: String,
    pub doc: String,
    pub one_off: bool,
    pub default: bool,
}

pub(crate) fn validate(input: Input) -> syn::Result<Processes> {
    let mut errors = Errors::default();
    if input.variants.is_empty() {
        errors.push(syn::Error::new(
            input.ident.span(),
            "#[derive(Process)] needs at least one variant: one unit variant per process type (`enum Kind { Web, Worker }`)",
        ));
    }
    let mut default: Option<&syn::Ident> = None;
    for variant in &input.variants {
        if let Some(span) = variant.default {
            match default {
                Some(first) => errors.push(syn::Error::new(
                    span,
                    format!("two default process types: `{first}` already is the default; at most one variant takes `#[process(default)]`"),
                )),
                None => default = Some(&variant.ident),
            }
        }
    }
    let mut types: Vec<(ValidType, Span)> = Vec::new();
    for variant in &input.variants {
        let (name, span) = match &variant.name {
            Some(lit) => {
                let name = lit.value();
                if let Some(why) = bad_name(&name) {
                    errors.push(syn::Error::new(
                        lit.span(),
                        format!("invalid process type name {name:?}: {why}"),
                    ));
                    continue;
                }
                (name, lit.span())
            }
            None => {
                let name = kebab_case(&variant.ident.unraw().to_string());
                if let Some(why) = bad_name(&name) {
                    errors.push(syn::Error::new(
                        variant.ident.span(),
                        format!("the variant's process type name would be {name:?}: {why}; give it one with `#[process(name = \"…\")]`"),
                    ));
                    continue;
                }
                (name, variant.ident.span())
            }
        };
        if let Some((first, _)) = types.iter().find(|(other, _)| other.name == name) {
            errors.push(syn::Error::new(
                span,
                format!(
                    "two process types are named `{name}`: `{}` already is; rename one with `#[process(name = \"…\")]`",
                    first.variant
                ),
            ));
            continue;
        }
        types.push((
            ValidType {
                variant: variant.ident.clone(),
                name,
                doc: variant.doc.clone(),
                one_off: variant.one_off.is_some(),
                default: variant.default.is_some(),
            },
            span,
        ));
    }
    errors.finish()?;
    Ok(Processes {
        ident: input.ident,
        krate: input
            .krate
            .unwrap_or_else(|| syn::parse_quote!(::twelve_factor)),
        types: types.into_iter().map(|(valid, _)| valid).collect(),
    })
}

/// `SendDigest` → `send-digest`, `HTTPServer` → `http-server`, `V2` → `v2`.
fn kebab_case(variant: &str) -> String {
    let chars: Vec<char> = variant.chars().collect();
    let mut name = String::with_capacity(variant.len() + 4);
    for (index, &c) in chars.iter().enumerate() {
        if c == '_' {
            if !name.is_empty() && !name.ends_with('-') {
                name.push('-');
            }
            continue;
        }
        if c.is_uppercase() && index > 0 {
            let previous = chars[index - 1];
            let next_is_lower = chars.get(index + 1).is_some_and(|next| next.is_lowercase());
            let starts_word = previous.is_lowercase()
                || previous.is_ascii_digit()
                || (previous.is_uppercase() && next_is_lower);
            if starts_word && !name.ends_with('-') {
                name.push('-');
            }
        }
        name.extend(c.to_lowercase());
    }
    name
}

/// `None` when `name` can select a process type: typed as the first argument and as
/// `PROCESS_TYPE`, never mistaken for a flag.
fn bad_name(name: &str) -> Option<&'static str> {
    if name.is_empty() {
        return Some("the name is empty");
    }
    if !name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Some("use lowercase letters, digits and `-` only");
    }
    if name.starts_with('-') || name.ends_with('-') || name.contains("--") {
        return Some("`-` goes between words only (a leading `-` would read as a flag)");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_variants() {
        assert_eq!(kebab_case("Web"), "web");
        assert_eq!(kebab_case("SendDigest"), "send-digest");
        assert_eq!(kebab_case("HTTPServer"), "http-server");
        assert_eq!(kebab_case("ApiV2"), "api-v2");
        assert_eq!(kebab_case("V2Api"), "v2-api");
        assert_eq!(kebab_case("send_digest"), "send-digest");
        assert_eq!(kebab_case("Send_Digest"), "send-digest");
    }

    #[test]
    fn typeable_names() {
        assert!(bad_name("send-digest").is_none());
        assert!(bad_name("v2").is_none());
        assert!(bad_name("").is_some());
        assert!(bad_name("Web").is_some());
        assert!(bad_name("-web").is_some());
        assert!(bad_name("web-").is_some());
        assert!(bad_name("a--b").is_some());
        assert!(bad_name("send digest").is_some());
        assert!(bad_name(&kebab_case("Café")).is_some());
    }
}
