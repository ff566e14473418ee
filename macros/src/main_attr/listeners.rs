//! `listeners(admin = 9091, grpc = 50051)`: the extra listeners the attribute declares, each a
//! name (an identifier) and a default port (an integer from 0 to 65535). The name gives the
//! variable that moves it: `admin` → `ADMIN_PORT`.

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::{quote, ToTokens};

/// What a listener entry must look like, for every error message.
const ACCEPTED: &str = "each listener is `name = port`: a name that is an identifier (`admin`, \
     `grpc`; not `main` or `health`, taken by PORT and HEALTH_PORT) and a port from 0 to 65535, \
     e.g. `listeners(admin = 9091, grpc = 50051)`";

/// One declared listener.
#[derive(Clone, Debug)]
pub(crate) struct Listener {
    pub name: String,
    pub port: u16,
}

impl Listener {
    /// `ADMIN_PORT` for `admin`.
    pub(crate) fn env(&self) -> String {
        format!("{}_PORT", self.name.to_uppercase())
    }

    /// The runtime's `ListenerDecl` for it.
    pub(crate) fn decl(&self, krate: &TokenStream) -> TokenStream {
        let (name, env, port) = (&self.name, self.env(), self.port);
        quote!(#krate::__private::ListenerDecl { name: #name, env: #env, default_port: #port })
    }
}

/// Parses the inside of `listeners(…)`; every bad entry is one error on its tokens.
pub(crate) fn parse(content: TokenStream, errors: &mut crate::diag::Errors) -> Vec<Listener> {
    let mut listeners: Vec<Listener> = Vec::new();
    for entry in split_commas(content) {
        match entry_of(&entry) {
            Ok(listener) => {
                let env = listener.env();
                if listeners.iter().any(|other| other.env() == env) {
                    errors.push(error(
                        &entry[0],
                        &format!(
                            "duplicate listener `{}` (its variable {env} is taken); {ACCEPTED}",
                            listener.name
                        ),
                    ));
                } else {
                    listeners.push(listener);
                }
            }
            Err(error) => errors.push(error),
        }
    }
    listeners
}

/// The entries between top-level commas (empty ones, as after a trailing comma, dropped).
fn split_commas(content: TokenStream) -> Vec<Vec<TokenTree>> {
    let mut entries = vec![Vec::new()];
    for token in content {
        match &token {
            TokenTree::Punct(punct) if punct.as_char() == ',' => entries.push(Vec::new()),
            _ => entries.last_mut().map_or((), |entry| entry.push(token)),
        }
    }
    entries.retain(|entry| !entry.is_empty());
    entries
}

fn entry_of(entry: &[TokenTree]) -> syn::Result<Listener> {
    let eq = entry
        .iter()
        .position(|token| matches!(token, TokenTree::Punct(p) if p.as_char() == '='));
    let (name, value) = match eq {
        Some(eq) => (&entry[..eq], &entry[eq + 1..]),
        None => return Err(error_over(entry, ACCEPTED)),
    };
    let name = match name {
        [TokenTree::Ident(ident)] => {
            let text = ident.to_string();
            let text = text.strip_prefix("r#").unwrap_or(&text).to_owned();
            if text == "main" || text == "health" {
                return Err(error(
                    ident,
                    &format!("`{text}` is taken (by PORT or HEALTH_PORT); {ACCEPTED}"),
                ));
            }
            text
        }
        [] => return Err(error_over(entry, ACCEPTED)),
        tokens => {
            return Err(error_over(
                tokens,
                &format!("a listener's name must be an identifier; {ACCEPTED}"),
            ))
        }
    };
    let port = match value {
        [TokenTree::Literal(literal)] => {
            let lit = syn::Lit::new(literal.clone());
            match &lit {
                syn::Lit::Int(int) if int.suffix().is_empty() => {
                    match int
                        .base10_parse::<u64>()
                        .ok()
                        .and_then(|p| u16::try_from(p).ok())
                    {
                        Some(port) => port,
                        None => {
                            return Err(error(
                                literal,
                                &format!(
                                    "listener `{name}`: port {} is out of range; {ACCEPTED}",
                                    int.base10_digits()
                                ),
                            ))
                        }
                    }
                }
                _ => {
                    return Err(error(
                        literal,
                        &format!("listener `{name}`: the port must be an integer; {ACCEPTED}"),
                    ))
                }
            }
        }
        [] => return Err(error_over(entry, ACCEPTED)),
        tokens => {
            return Err(error_over(
                tokens,
                &format!("listener `{name}`: the port must be an integer; {ACCEPTED}"),
            ))
        }
    };
    Ok(Listener { name, port })
}

fn error(tokens: impl ToTokens, message: &str) -> syn::Error {
    syn::Error::new_spanned(tokens, message)
}

/// An error over several tokens (from the first to the last).
fn error_over(tokens: &[TokenTree], message: &str) -> syn::Error {
    let stream: TokenStream = tokens.iter().cloned().collect();
    if stream.is_empty() {
        return syn::Error::new(Span::call_site(), message);
    }
    syn::Error::new_spanned(stream, message)
}
