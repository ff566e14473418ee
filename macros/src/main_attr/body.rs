//! The user's function as the attribute reads it: attributes, visibility and signature parsed,
//! the body kept as tokens. The body is never parsed: a syntax error inside it is rustc's to
//! report, once, and costs the attribute nothing.

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};
use quote::{ToTokens, TokenStreamExt};
use syn::parse::{Parse, ParseStream};
use syn::{Attribute, Signature, Visibility};

/// A function whose body is tokens.
#[derive(Clone)]
pub(crate) struct ItemFn {
    /// Outer attributes (`#[…]` before the function). Inner ones stay in the body.
    pub attrs: Vec<Attribute>,
    pub vis: Visibility,
    pub sig: Signature,
    /// The braces and everything inside them, untouched.
    pub body: Group,
}

impl Parse for ItemFn {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let vis = input.parse()?;
        let sig = input.parse()?;
        let body: Group = input.parse()?;
        if body.delimiter() != Delimiter::Brace {
            return Err(syn::Error::new(body.span(), "expected the function's body"));
        }
        if !input.is_empty() {
            return Err(input.error("unexpected tokens after the function's body"));
        }
        Ok(ItemFn {
            attrs,
            vis,
            sig,
            body,
        })
    }
}

impl ToTokens for ItemFn {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        tokens.append_all(&self.attrs);
        self.vis.to_tokens(tokens);
        self.sig.to_tokens(tokens);
        self.body.to_tokens(tokens);
    }
}

/// Whether `item` is a function, from its leading tokens only: outer attributes, visibility,
/// then `const`/`async`/`unsafe`/`extern "abi"`/`default` in any number, then `fn`.
pub(crate) fn is_function(item: &TokenStream) -> bool {
    let mut tokens = item.clone().into_iter().peekable();
    while let Some(token) = tokens.next() {
        match token {
            // `#` followed by its `[…]`: an attribute.
            TokenTree::Punct(punct) if punct.as_char() == '#' => {
                tokens.next();
            }
            // `pub(crate)`'s group, an ABI string.
            TokenTree::Group(group) if group.delimiter() == Delimiter::Parenthesis => {}
            TokenTree::Literal(_) => {}
            TokenTree::Ident(ident) => match ident.to_string().as_str() {
                "fn" => return true,
                "pub" | "crate" | "const" | "async" | "unsafe" | "extern" | "default" => {}
                _ => return false,
            },
            _ => return false,
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> TokenStream {
        text.parse().expect("tokens")
    }

    #[test]
    fn functions_by_their_leading_tokens() {
        for text in [
            "fn main() {}",
            "#[allow(unused)] pub(crate) async fn main() { let x = ; }",
            "const unsafe extern \"C\" fn main() {}",
        ] {
            assert!(is_function(&parse(text)), "{text}");
        }
        for text in [
            "struct Main;",
            "#[derive(Debug)] pub enum E {}",
            "mod m {}",
            "",
        ] {
            assert!(!is_function(&parse(text)), "{text}");
        }
    }

    #[test]
    fn the_body_is_not_parsed() {
        let item: ItemFn = syn::parse2(parse("async fn main() { let x = ; }")).expect("parses");
        assert_eq!(item.sig.ident, "main");
        assert_eq!(item.body.stream().to_string(), "let x = ;");
    }
}
