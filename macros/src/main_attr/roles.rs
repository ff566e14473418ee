//! What each parameter of `main` receives, decided from its type alone, in any order: a type
//! whose path ends in `App` is the runtime's handle; any other named type is a configuration
//! struct (the expansion requires `Config` on it, so a type that is not one is reported on it).
//! A type that can never be either (`bool`, a reference, a tuple, `impl Trait`) is refused here.
//!
//! A new kind of parameter is a [`Role`] variant, a line in [`TAKES`] and an arm in [`classify`].

use quote::ToTokens;
use syn::Type;

/// What a parameter of `main` receives.
pub(crate) enum Role {
    /// The runtime's handle, `twelve_factor::App`.
    App,
    /// A `#[derive(twelve_factor::Config)]` struct read with the runtime's variables.
    Config(Box<Type>),
}

impl Role {
    /// The role's name in messages, and the one-line rule when it is taken twice.
    pub(crate) fn twice(&self) -> &'static str {
        match self {
            Role::App => "`main` takes the `App` once; this parameter is a second one",
            Role::Config(_) => {
                "`main` takes one configuration struct; this is a second one: put its fields in \
                 the first `#[derive(twelve_factor::Config)]` struct"
            }
        }
    }

    /// Whether `self` and `other` are the same role (the second one is an error).
    pub(crate) fn same(&self, other: &Role) -> bool {
        matches!(
            (self, other),
            (Role::App, Role::App) | (Role::Config(_), Role::Config(_))
        )
    }
}

/// What `main` may take, in the words of the error for any other parameter.
pub(crate) const TAKES: &[&str] = &[
    "`app: twelve_factor::App`",
    "a `#[derive(twelve_factor::Config)]` struct",
];

/// The error for a parameter whose type is none of [`TAKES`].
pub(crate) fn refused(ty: &Type) -> syn::Error {
    let written = written(ty);
    syn::Error::new_spanned(
        ty,
        format!(
            "`main` cannot take `{written}`: it takes, in any order, {}",
            TAKES.join(" and ")
        ),
    )
}

/// `ty` as the user would write it (token streams print `& a :: B`).
fn written(ty: &Type) -> String {
    let text = ty.to_token_stream().to_string();
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
        let prev = out.chars().last();
        let glue_before = matches!(next, Some(':' | ',' | '>' | ')' | ']' | '<'));
        let glue_after = matches!(prev, Some(':' | '&' | '<' | '(' | '['));
        if c == ' ' && (glue_before || glue_after) {
            continue;
        }
        out.push(c);
    }
    out
}

/// The role of a parameter of type `ty`, or `None` when no role fits. `app_alias`: whether a
/// one-segment name is a local alias of the `App` (`use twelve_factor::App as Handle;`).
pub(crate) fn classify(ty: &Type, app_alias: &dyn Fn(&str) -> bool) -> Option<Role> {
    match ty {
        Type::Paren(inner) => classify(&inner.elem, app_alias),
        Type::Group(inner) => classify(&inner.elem, app_alias),
        Type::Path(path) if path.qself.is_none() => {
            let last = path.path.segments.last()?;
            let name = last.ident.to_string();
            let single = path.path.segments.len() == 1 && path.path.leading_colon.is_none();
            if name == "App" && last.arguments.is_none() {
                Some(Role::App)
            } else if single && PRIMITIVES.contains(&name.as_str()) {
                None
            } else if single && last.arguments.is_none() && app_alias(&name) {
                Some(Role::App)
            } else {
                Some(Role::Config(Box::new(ty.clone())))
            }
        }
        _ => None,
    }
}

/// Types that are never a configuration struct.
const PRIMITIVES: &[&str] = &[
    "bool", "char", "str", "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32", "i64",
    "i128", "isize", "f32", "f64",
];

/// Whether `text` (the source file holding `main`) imports the `App` under the name `alias`:
/// `App as alias` with any spacing, the `App` at the end of a path or a brace list.
pub(crate) fn imports_app_as(text: &str, alias: &str) -> bool {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices(alias).any(|(at, _)| {
        let after = text[at + alias.len()..].chars().next();
        if after.is_some_and(is_ident) {
            return false;
        }
        let before = text[..at].trim_end();
        let Some(before) = before.strip_suffix("as") else {
            return false;
        };
        if !before.ends_with(char::is_whitespace) {
            return false;
        }
        let Some(before) = before.trim_end().strip_suffix("App") else {
            return false;
        };
        !before.ends_with(is_ident)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role(ty: &str) -> &'static str {
        let ty: Type = syn::parse_str(ty).expect("a type");
        match classify(&ty, &|name| name == "Handle") {
            Some(Role::App) => "app",
            Some(Role::Config(_)) => "config",
            None => "refused",
        }
    }

    #[test]
    fn roles_by_type() {
        assert_eq!(role("App"), "app");
        assert_eq!(role("twelve_factor::App"), "app");
        assert_eq!(role("::tf::App"), "app");
        assert_eq!(role("Handle"), "app");
        assert_eq!(role("Settings"), "config");
        assert_eq!(role("crate::config::Settings"), "config");
        assert_eq!(role("Option<Settings>"), "config");
        for refused in [
            "bool",
            "u16",
            "&str",
            "&Settings",
            "(App, Settings)",
            "impl Sized",
            "[u8; 4]",
        ] {
            assert_eq!(role(refused), "refused", "{refused}");
        }
    }

    #[test]
    fn types_are_written_as_in_the_source() {
        for text in [
            "&twelve_factor::App",
            "(twelve_factor::App, u8)",
            "impl Sized",
            "&'static str",
            "Vec<u8>",
        ] {
            let ty: Type = syn::parse_str(text).expect("a type");
            assert_eq!(written(&ty), text);
        }
    }

    #[test]
    fn app_aliases_in_the_source() {
        assert!(imports_app_as(
            "use twelve_factor::App as Handle;",
            "Handle"
        ));
        assert!(imports_app_as(
            "use twelve_factor::{App  as\n Handle, Config};",
            "Handle"
        ));
        assert!(!imports_app_as(
            "use twelve_factor::App as Handler;",
            "Handle"
        ));
        assert!(!imports_app_as("use x::MyApp as Handle;", "Handle"));
        assert!(!imports_app_as("use x::Settings as Handle;", "Handle"));
        assert!(!imports_app_as("type Handle = u8;", "Handle"));
    }
}
