//! Token-level recognisers for the bits of Rust grammar the detector needs: attributes, and
//! [`items`], the one place that decides where an item or statement starts and ends and what
//! kind it is. The [index](crate::detect::names::index) and the [check](crate::detect::check) both walk items through
//! it. Everything works on a [`Level`] from [`lex`](crate::detect::syntax::lex), never fails, and never looks
//! outside the level it is given.

use crate::detect::syntax::lex::{Delim, Kind, Level, Node};
use crate::detect::syntax::paths::path_at;
use std::borrow::Cow;

/// An attribute: `#[name]`, `#[name = "value"]` or `#[name(args)]`.
pub(crate) struct Attr<'a> {
    pub name: &'a str,
    /// The string of `#[name = "value"]`.
    pub value: Option<Cow<'a, str>>,
    /// The source text inside `#[name( … )]`.
    pub args: Option<&'a str>,
    /// `#![…]`: an attribute of the enclosing module or block, not of the next item.
    pub inner: bool,
}

/// If an attribute starts at `i`, returns it and the index after it.
pub(crate) fn attr_at<'a>(level: &Level<'a>, i: usize) -> Option<(Attr<'a>, usize)> {
    if !level.get(i)?.is_punct(b'#') {
        return None;
    }
    let mut j = i + 1;
    let inner = level.get(j).is_some_and(|t| t.is_punct(b'!'));
    if inner {
        j += 1;
    }
    let (Delim::Bracket, body) = level.get(j)?.group()? else {
        return None;
    };
    let name = body.get(0).and_then(|n| n.ident()).unwrap_or("");
    let value = match (body.get(1), body.get(2)) {
        (Some(eq), Some(lit)) if eq.is_punct(b'=') => lit.string(),
        _ => None,
    };
    let args = body
        .get(1)
        .filter(|n| matches!(n.kind(), Kind::Group(Delim::Paren)))
        .map(|n| n.inner_text());
    Some((
        Attr {
            name,
            value,
            args,
            inner,
        },
        j + 1,
    ))
}

/// Which namespace an item's name lives in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Ns {
    /// Modules, types, traits, crates: what a path's leading segments name.
    Type,
    /// Functions, constants, statics, variables.
    Value,
}

/// One item or statement of a level.
pub(crate) struct Item<'a> {
    /// Its outer attributes.
    pub attrs: Vec<Attr<'a>>,
    /// Its tokens, attributes excluded.
    pub toks: Level<'a>,
    /// Its tokens before its body (the whole item when it has none).
    pub head: Level<'a>,
    pub kind: ItemKind<'a>,
}

impl Item<'_> {
    /// The `cfg` predicates among the attributes.
    pub(crate) fn cfg(&self) -> impl Iterator<Item = &str> {
        self.attrs
            .iter()
            .filter(|a| a.name == "cfg")
            .filter_map(|a| a.args)
    }

    /// The `#[path = "…"]` attribute's value.
    pub(crate) fn path_attr(&self) -> Option<&str> {
        self.attrs
            .iter()
            .find(|a| a.name == "path")
            .and_then(|a| a.value.as_deref())
    }

    /// The paths of `#[cfg_attr(pred, path = "…")]` attributes (one per platform, say).
    pub(crate) fn cfg_attr_paths(&self) -> Vec<String> {
        self.attrs
            .iter()
            .filter(|a| a.name == "cfg_attr")
            .filter_map(|a| a.args)
            .filter_map(|args| {
                let after = &args[args.rfind("path")? + 4..];
                let value = after.trim_start().strip_prefix('=')?.trim_start();
                let value = value.strip_prefix('"')?;
                Some(value[..value.find('"')?].to_owned())
            })
            .collect()
    }
}

/// What an item is, with the parts the detector reads.
pub(crate) enum ItemKind<'a> {
    /// `use …;`: the tree after the keyword, without the `;`.
    Use(Level<'a>),
    /// `extern crate name as alias;`.
    ExternCrate {
        name: Node<'a>,
        alias: Option<&'a str>,
    },
    /// `extern "C" { … }`: the block's contents.
    ExternBlock(Level<'a>),
    /// `mod name;` or `mod name { … }`.
    Mod {
        name: Node<'a>,
        body: Option<Level<'a>>,
    },
    /// A function: its parameter list and body (none for a declaration).
    Fn {
        name: Option<Node<'a>>,
        params: Option<Level<'a>>,
        body: Option<Level<'a>>,
    },
    /// `impl … { … }` or `trait Name … { … }`: associated items.
    Impl {
        name: Option<Node<'a>>,
        body: Option<Level<'a>>,
    },
    /// `struct`, `enum`, `union`, `type`, `const`, `static`: a name and nothing the detector
    /// treats specially inside.
    Decl { name: Node<'a>, ns: Ns },
    /// `macro_rules! name { … }`.
    MacroRules { body: Option<Level<'a>> },
    /// An item-position macro call, `path! { … }` or `path!(…);`: its argument tokens.
    MacroCall { args: Level<'a> },
    /// `include!("…")`: the argument group.
    Include { arg: Option<Node<'a>> },
    /// A statement or an item of no interest.
    Other,
}

/// The items and statements of a level, in order.
pub(crate) fn items<'a>(level: Level<'a>) -> Items<'a> {
    Items { level, i: 0 }
}

/// The iterator behind [`items`].
pub(crate) struct Items<'a> {
    level: Level<'a>,
    i: usize,
}

impl<'a> Iterator for Items<'a> {
    type Item = Item<'a>;

    fn next(&mut self) -> Option<Item<'a>> {
        let level = self.level;
        let mut attrs = Vec::new();
        loop {
            while let Some((attr, next)) = attr_at(&level, self.i) {
                if !attr.inner {
                    attrs.push(attr);
                }
                self.i = next;
            }
            // Stray semicolons end nothing.
            if level.get(self.i).is_some_and(|t| t.is_punct(b';')) && attrs.is_empty() {
                self.i += 1;
                continue;
            }
            break;
        }
        let start = self.i;
        level.get(start)?;
        let (kind, body, end) = classify(&level, start);
        let end = end.max(start + 1).min(level.len());
        self.i = end;
        let toks = level.slice(start, end);
        let head = match body {
            Some(b) if b >= start => level.slice(start, b),
            _ => toks,
        };
        Some(Item {
            attrs,
            toks,
            head,
            kind,
        })
    }
}

/// The index after the next top-level `;` at or after `i` (or the level's end).
fn after_semicolon(level: &Level<'_>, i: usize) -> usize {
    (i..level.len())
        .find(|&j| level.get(j).is_some_and(|t| t.is_punct(b';')))
        .map_or(level.len(), |j| j + 1)
}

/// The index of the first group with delimiter `delim` at or after `i`, before any top-level `;`.
fn group_before_semicolon(level: &Level<'_>, i: usize, delim: Delim) -> Option<usize> {
    for j in i..level.len() {
        let node = level.get(j)?;
        if node.is_punct(b';') {
            return None;
        }
        if matches!(node.kind(), Kind::Group(d) if d == delim) {
            return Some(j);
        }
    }
    None
}

fn group_at<'a>(level: &Level<'a>, i: usize) -> Option<Level<'a>> {
    level.get(i)?.group().map(|(_, inner)| inner)
}

/// What the item at `start` is, the index of its body group, and the index after it.
fn classify<'a>(level: &Level<'a>, start: usize) -> (ItemKind<'a>, Option<usize>, usize) {
    let mut k = start;
    // Visibility and qualifiers, up to the keyword that decides.
    while let Some(node) = level.get(k) {
        let next = level.get(k + 1);
        match node.ident() {
            Some("pub") => {
                k += 1;
                if matches!(
                    level.get(k).map(|n| n.kind()),
                    Some(Kind::Group(Delim::Paren))
                ) {
                    k += 1;
                }
            }
            Some("unsafe" | "async" | "safe") if next.is_some_and(|n| n.ident().is_some()) => {
                k += 1
            }
            Some("default")
                if next.is_some_and(|n| {
                    n.is_ident("fn")
                        || n.is_ident("impl")
                        || n.is_ident("unsafe")
                        || n.is_ident("async")
                        || n.is_ident("const")
                        || n.is_ident("type")
                }) =>
            {
                k += 1
            }
            Some("const")
                if next.is_some_and(|n| {
                    n.is_ident("fn")
                        || n.is_ident("unsafe")
                        || n.is_ident("async")
                        || n.is_ident("extern")
                }) =>
            {
                k += 1
            }
            Some("extern")
                if next.is_some_and(|n| n.is_lit())
                    && level
                        .get(k + 2)
                        .is_some_and(|n| n.is_ident("fn") || n.is_ident("unsafe")) =>
            {
                k += 2
            }
            Some("extern") if next.is_some_and(|n| n.is_ident("fn")) => k += 1,
            _ => break,
        }
    }
    let Some(node) = level.get(k) else {
        return (ItemKind::Other, None, level.len());
    };
    let word = node.ident().unwrap_or("");
    let name = level.get(k + 1).filter(|n| n.ident().is_some());
    match word {
        "use" => {
            let end = after_semicolon(level, k);
            let tree = level.slice(k + 1, end.saturating_sub(1).max(k + 1));
            (ItemKind::Use(tree), None, end)
        }
        "extern" if level.get(k + 1).is_some_and(|n| n.is_ident("crate")) => {
            let end = after_semicolon(level, k);
            let Some(krate) = level.get(k + 2).filter(|n| n.ident().is_some()) else {
                return (ItemKind::Other, None, end);
            };
            let alias = match level.get(k + 3) {
                Some(t) if t.is_ident("as") => level.get(k + 4).and_then(|n| n.ident()),
                _ => None,
            };
            (ItemKind::ExternCrate { name: krate, alias }, None, end)
        }
        "extern" => {
            let j = if level.get(k + 1).is_some_and(|n| n.is_lit()) {
                k + 2
            } else {
                k + 1
            };
            match level.get(j).and_then(|n| n.group()) {
                Some((Delim::Brace, body)) => (ItemKind::ExternBlock(body), Some(j), j + 1),
                _ => (ItemKind::Other, None, after_semicolon(level, k)),
            }
        }
        "mod" if name.is_some() => {
            let Some(name) = name else {
                return (ItemKind::Other, None, k + 1);
            };
            match level.get(k + 2).and_then(|n| n.group()) {
                Some((Delim::Brace, body)) => (
                    ItemKind::Mod {
                        name,
                        body: Some(body),
                    },
                    Some(k + 2),
                    k + 3,
                ),
                _ => (
                    ItemKind::Mod { name, body: None },
                    None,
                    after_semicolon(level, k),
                ),
            }
        }
        "fn" => {
            let params_at = group_before_semicolon(level, k + 1, Delim::Paren);
            let from = params_at.map_or(k + 1, |p| p + 1);
            let body_at = group_before_semicolon(level, from, Delim::Brace);
            let end = body_at.map_or_else(|| after_semicolon(level, k), |b| b + 1);
            (
                ItemKind::Fn {
                    name,
                    params: params_at.and_then(|p| group_at(level, p)),
                    body: body_at.and_then(|b| group_at(level, b)),
                },
                body_at,
                end,
            )
        }
        "impl" | "trait" => {
            let body_at = group_before_semicolon(level, k + 1, Delim::Brace);
            let end = body_at.map_or_else(|| after_semicolon(level, k), |b| b + 1);
            let name = if word == "trait" { name } else { None };
            (
                ItemKind::Impl {
                    name,
                    body: body_at.and_then(|b| group_at(level, b)),
                },
                body_at,
                end,
            )
        }
        "struct" | "enum" | "union" if name.is_some() => {
            let body_at = group_before_semicolon(level, k + 1, Delim::Brace);
            let end = body_at.map_or_else(|| after_semicolon(level, k), |b| b + 1);
            let decl = name.map_or(ItemKind::Other, |name| ItemKind::Decl {
                name,
                ns: Ns::Type,
            });
            (decl, None, end)
        }
        "type" | "const" | "static" => {
            let end = after_semicolon(level, k);
            let mut at = k + 1;
            if level.get(at).is_some_and(|n| n.is_ident("mut")) {
                at += 1;
            }
            let ns = if word == "type" { Ns::Type } else { Ns::Value };
            match level.get(at).filter(|n| n.ident().is_some()) {
                Some(name) => (ItemKind::Decl { name, ns }, None, end),
                None => (ItemKind::Other, None, end),
            }
        }
        "macro_rules" if level.get(k + 1).is_some_and(|n| n.is_punct(b'!')) => {
            let body_at =
                (k + 2..k + 4).find(|&j| level.get(j).is_some_and(|n| n.group().is_some()));
            let braced = body_at.is_some_and(|b| {
                matches!(
                    level.get(b).map(|n| n.kind()),
                    Some(Kind::Group(Delim::Brace))
                )
            });
            let end = match body_at {
                Some(b) if braced => b + 1,
                _ => after_semicolon(level, k),
            };
            (
                ItemKind::MacroRules {
                    body: body_at.and_then(|b| group_at(level, b)),
                },
                body_at,
                end,
            )
        }
        "include" if level.get(k + 1).is_some_and(|n| n.is_punct(b'!')) => {
            let arg = level.get(k + 2).filter(|n| n.group().is_some());
            let after = k + 3;
            let end = if level.get(after).is_some_and(|n| n.is_punct(b';')) {
                after + 1
            } else {
                after
            };
            (ItemKind::Include { arg }, None, end)
        }
        "if" | "else" | "match" | "loop" | "while" | "for" | "unsafe" | "async" => {
            match group_before_semicolon(level, k + 1, Delim::Brace) {
                Some(b) => (ItemKind::Other, None, b + 1),
                None => (ItemKind::Other, None, after_semicolon(level, k)),
            }
        }
        _ if matches!(node.kind(), Kind::Group(Delim::Brace)) => (ItemKind::Other, None, k + 1),
        _ => match macro_call(level, k) {
            Some((args, end)) => (ItemKind::MacroCall { args }, None, end),
            None => (ItemKind::Other, None, after_semicolon(level, k)),
        },
    }
}

/// `path! { … }` (ends at its brace, `;` optional) or `path!(…);` / `path![…];` at `i`.
fn macro_call<'a>(level: &Level<'a>, i: usize) -> Option<(Level<'a>, usize)> {
    let (_, after) = path_at(level, i)?;
    if !level.get(after)?.is_punct(b'!') {
        return None;
    }
    let group = level.get(after + 1)?;
    let (delim, args) = group.group()?;
    let next = after + 2;
    let semicolon = level.get(next).is_some_and(|n| n.is_punct(b';'));
    match (delim, semicolon) {
        (_, true) => Some((args, next + 1)),
        (Delim::Brace, false) => Some((args, next)),
        _ if level.get(next).is_none() => Some((args, next)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::syntax::lex::lex;

    fn kinds(text: &str) -> Vec<String> {
        let lx = lex(text.to_owned());
        items(lx.top())
            .map(|item| {
                let kind = match &item.kind {
                    ItemKind::Use(_) => "use",
                    ItemKind::ExternCrate { .. } => "extern crate",
                    ItemKind::ExternBlock(_) => "extern block",
                    ItemKind::Mod { body: None, .. } => "mod;",
                    ItemKind::Mod { .. } => "mod{}",
                    ItemKind::Fn { .. } => "fn",
                    ItemKind::Impl { .. } => "impl",
                    ItemKind::Decl { .. } => "decl",
                    ItemKind::MacroRules { .. } => "macro_rules",
                    ItemKind::MacroCall { .. } => "macro call",
                    ItemKind::Include { .. } => "include",
                    ItemKind::Other => "other",
                };
                let cfg: Vec<&str> = item.cfg().collect();
                if cfg.is_empty() {
                    kind.to_owned()
                } else {
                    format!("{kind} cfg({})", cfg.join(","))
                }
            })
            .collect()
    }

    #[test]
    fn item_boundaries() {
        assert_eq!(
            kinds("#[cfg(unix)] pub(crate) fn f() -> u8 { 1 } const X: S = S { a: 1 }; unsafe { f() } x; pub unsafe extern \"C\" fn g(); impl<T> Tr for S<T> where T: X { fn a() {} } struct T(u8); enum E { A } static mut Y: u8 = 0;"),
            ["fn cfg(unix)", "decl", "other", "other", "fn", "impl", "decl", "decl", "decl"]
        );
    }

    #[test]
    fn brace_macro_calls_end_the_item() {
        assert_eq!(
            kinds("#[cfg(test)] thread_local! { static X: u8 = 1; } mod helper; feature! { pub mod a; } pub mod unistd; cfg_if::cfg_if! { if #[cfg(unix)] { mod x; } } fn after() {} m!(x); n![y]"),
            ["macro call cfg(test)", "mod;", "macro call", "mod;", "macro call", "fn", "macro call", "macro call"]
        );
    }

    #[test]
    fn other_items() {
        assert_eq!(
            kinds("use a::b; extern crate c as d; extern \"C\" { fn fork(); } mod m { } macro_rules! x { () => {} } include!(\"f.rs\"); trait T { fn t(); } if a { } else { } let x = 1;"),
            ["use", "extern crate", "extern block", "mod{}", "macro_rules", "include", "impl", "other", "other", "other"]
        );
    }
}
