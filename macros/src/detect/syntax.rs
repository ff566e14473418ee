//! Token-level recognisers for the bits of Rust grammar the detector needs: attributes, where an
//! item ends, `use` trees, paths and the names items declare. They work on [`Tree`]s from
//! [`lex`](super::lex), never fail, and never look further than the slice they are given.

use super::lex::{Delim, Pos, Tree};
use std::rc::Rc;

/// Keywords that never start a path.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false",
    "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref",
    "return", "static", "struct", "trait", "true", "type", "union", "unsafe", "use", "where",
    "while", "yield", "gen", "_",
];

/// Whether `name` is a keyword that cannot start a path.
pub(crate) fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// An outer or inner attribute: `#[name]`, `#[name = "value"]` or `#[name(args)]`.
pub(crate) struct Attr {
    pub name: String,
    /// The string of `#[name = "value"]`.
    pub value: Option<String>,
    /// The source text inside `#[name( … )]`.
    pub args: Option<Rc<str>>,
}

/// If an attribute starts at `i`, returns it and the index after it.
pub(crate) fn attr_at(trees: &[Tree], i: usize) -> Option<(Attr, usize)> {
    if !trees.get(i)?.is_punct('#') {
        return None;
    }
    let mut j = i + 1;
    if trees.get(j).is_some_and(|t| t.is_punct('!')) {
        j += 1;
    }
    let (Delim::Bracket, inner) = trees.get(j)?.group()? else {
        return None;
    };
    let name = inner.first().and_then(Tree::ident).unwrap_or("").to_owned();
    let value = match (inner.get(1), inner.get(2)) {
        (Some(eq), Some(lit)) if eq.is_punct('=') => lit.string().map(str::to_owned),
        _ => None,
    };
    let args = match inner.get(1) {
        Some(Tree::Group {
            delim: Delim::Paren,
            text,
            ..
        }) => Some(text.clone()),
        _ => None,
    };
    Some((Attr { name, value, args }, j + 1))
}

/// The index after the item or statement that starts at `start`: for items with a body, after
/// the first brace group; for `use`, `let`, `const`, `static`, `type` and expression statements,
/// after the next top-level `;`.
pub(crate) fn item_end(trees: &[Tree], start: usize) -> usize {
    let mut i = start;
    let mut braced = true;
    // Skip visibility and qualifiers to the keyword that decides.
    while let Some(tree) = trees.get(i) {
        match tree.ident() {
            Some("pub" | "unsafe" | "async" | "default" | "safe") => i += 1,
            Some("extern") => {
                i += 1;
                if trees.get(i).is_some_and(|t| matches!(t, Tree::Lit { .. })) {
                    i += 1;
                }
            }
            Some("const")
                if trees.get(i + 1).is_some_and(|t| {
                    t.is_ident("fn")
                        || t.is_ident("unsafe")
                        || t.is_ident("async")
                        || t.is_ident("extern")
                }) =>
            {
                i += 1
            }
            Some("use" | "let" | "const" | "static" | "type") => {
                braced = false;
                break;
            }
            Some(_) => break,
            None => {
                if matches!(tree.group(), Some((Delim::Paren, _))) && i > start {
                    i += 1; // pub(crate)
                } else {
                    // An expression statement such as `unsafe { … }` or `{ … }`.
                    break;
                }
            }
        }
    }
    let is_item = trees.get(i).and_then(Tree::ident).is_some_and(|word| {
        matches!(
            word,
            "fn" | "mod" | "impl" | "trait" | "struct" | "enum" | "union" | "macro_rules" | "crate"
        )
    });
    let block_statement = trees
        .get(i)
        .is_some_and(|t| matches!(t.group(), Some((Delim::Brace, _))));
    for (j, tree) in trees.iter().enumerate().skip(i) {
        if tree.is_punct(';') {
            return j + 1;
        }
        if braced && (is_item || block_statement) && matches!(tree.group(), Some((Delim::Brace, _)))
        {
            // `struct S { … }` ends at its body; `macro_rules! m { … }` too.
            return j + 1;
        }
    }
    trees.len()
}

/// One segment of a path as written.
#[derive(Clone, Debug)]
pub(crate) struct Seg {
    pub name: String,
    pub pos: Pos,
}

/// A path as written: `a::b::c`, `::a::b`.
#[derive(Clone, Debug)]
pub(crate) struct Path {
    pub absolute: bool,
    pub segs: Vec<Seg>,
}

impl Path {
    /// The segments' names.
    pub(crate) fn names(&self) -> Vec<String> {
        self.segs.iter().map(|seg| seg.name.clone()).collect()
    }

    /// The path as written, for messages.
    pub(crate) fn display(&self) -> String {
        let joined = self.names().join("::");
        if self.absolute {
            format!("::{joined}")
        } else {
            joined
        }
    }
}

/// Whether `trees[i]` and `trees[i + 1]` form `::`.
pub(crate) fn colons_at(trees: &[Tree], i: usize) -> bool {
    matches!(
        trees.get(i),
        Some(Tree::Punct {
            ch: ':',
            joint: true,
            ..
        })
    ) && trees.get(i + 1).is_some_and(|t| t.is_punct(':'))
}

/// If a path starts at `i`, returns it and the index after it. `$crate` is read as `crate`.
/// The path stops before `::<`, `::{` and `::*`.
pub(crate) fn path_at(trees: &[Tree], i: usize) -> Option<(Path, usize)> {
    let mut j = i;
    let mut absolute = false;
    if trees.get(j).is_some_and(|t| t.is_punct('$'))
        && trees.get(j + 1).is_some_and(|t| t.is_ident("crate"))
    {
        j += 1;
    } else if colons_at(trees, j) {
        absolute = true;
        j += 2;
    }
    let mut segs = Vec::new();
    loop {
        let tree = trees.get(j)?;
        let name = tree.ident()?;
        if is_keyword(name) && !segs.is_empty() {
            break;
        }
        if is_keyword(name) {
            return None;
        }
        segs.push(Seg {
            name: name.to_owned(),
            pos: tree.pos(),
        });
        j += 1;
        if colons_at(trees, j) && trees.get(j + 2).and_then(Tree::ident).is_some() {
            j += 2;
        } else {
            break;
        }
    }
    Some((Path { absolute, segs }, j))
}

/// One name that a `use` declaration brings into scope (or a glob).
#[derive(Clone, Debug)]
pub(crate) struct UseLeaf {
    /// The full path of the imported item (for a glob: of the module it imports from).
    pub path: Path,
    /// The name bound: the last segment, the `as` alias, or `None` for `_` and globs.
    pub binding: Option<String>,
    pub glob: bool,
}

/// Parses the `use` tree that starts after the `use` keyword at `i`; returns its leaves and the
/// index after the terminating `;`.
pub(crate) fn use_tree(trees: &[Tree], i: usize) -> (Vec<UseLeaf>, usize) {
    let end = trees
        .iter()
        .enumerate()
        .skip(i)
        .find(|(_, t)| t.is_punct(';'))
        .map_or(trees.len(), |(j, _)| j + 1);
    let mut leaves = Vec::new();
    let body = trees.get(i..end.saturating_sub(1).max(i)).unwrap_or(&[]);
    let prefix = Path {
        absolute: false,
        segs: Vec::new(),
    };
    subtree(body, prefix, &mut leaves, 0);
    (leaves, end)
}

/// One `use` subtree (`a::b::{c, d as e}`) under `prefix`.
fn subtree(trees: &[Tree], mut prefix: Path, leaves: &mut Vec<UseLeaf>, depth: usize) {
    if depth > 16 {
        return;
    }
    let mut j = 0;
    if colons_at(trees, 0) {
        prefix.absolute = prefix.segs.is_empty();
        j = 2;
    }
    loop {
        match trees.get(j) {
            Some(Tree::Ident { name, pos }) => {
                prefix.segs.push(Seg {
                    name: name.clone(),
                    pos: *pos,
                });
                j += 1;
                if colons_at(trees, j) {
                    j += 2;
                    continue;
                }
                // A leaf: `name` or `name as alias`.
                let mut binding = prefix.segs.last().map(|s| s.name.clone());
                if trees.get(j).is_some_and(|t| t.is_ident("as")) {
                    binding = trees.get(j + 1).and_then(Tree::ident).map(str::to_owned);
                }
                if binding.as_deref() == Some("_") {
                    binding = None;
                }
                // `self` in a group names the group's prefix itself.
                if prefix.segs.last().is_some_and(|s| s.name == "self") && prefix.segs.len() > 1 {
                    prefix.segs.pop();
                    if binding.as_deref() == Some("self") {
                        binding = prefix.segs.last().map(|s| s.name.clone());
                    }
                }
                leaves.push(UseLeaf {
                    path: prefix,
                    binding,
                    glob: false,
                });
                return;
            }
            Some(tree) if tree.is_punct('*') => {
                leaves.push(UseLeaf {
                    path: prefix,
                    binding: None,
                    glob: true,
                });
                return;
            }
            Some(Tree::Group {
                delim: Delim::Brace,
                children,
                ..
            }) => {
                for part in children.split(|t| t.is_punct(',')) {
                    if !part.is_empty() {
                        subtree(part, prefix.clone(), leaves, depth + 1);
                    }
                }
                return;
            }
            _ => return,
        }
    }
}

/// Splits a call's argument list on top-level commas.
pub(crate) fn arguments(trees: &[Tree]) -> Vec<&[Tree]> {
    trees.split(|t| t.is_punct(',')).collect()
}

#[cfg(test)]
mod tests {
    use super::super::lex::lex;
    use super::*;

    fn leaves(text: &str) -> Vec<String> {
        let trees = lex(text);
        let (leaves, _) = use_tree(&trees, 1);
        leaves
            .iter()
            .map(|leaf| {
                let target = leaf.path.display();
                match (&leaf.binding, leaf.glob) {
                    (_, true) => format!("{target}::*"),
                    (Some(name), _) => format!("{target} as {name}"),
                    (None, _) => format!("{target} as _"),
                }
            })
            .collect()
    }

    #[test]
    fn use_trees() {
        assert_eq!(leaves("use libc::fork;"), ["libc::fork as fork"]);
        assert_eq!(
            leaves("use nix::{unistd::{self as u, fork as f, *}, libc};"),
            [
                "nix::unistd as u",
                "nix::unistd::fork as f",
                "nix::unistd::*",
                "nix::libc as libc"
            ]
        );
        assert_eq!(
            leaves("use ::nix::unistd::r#fork;"),
            ["::nix::unistd::fork as fork"]
        );
        assert_eq!(
            leaves("use {libc::setsid, daemonize as _};"),
            ["libc::setsid as setsid", "daemonize as _"]
        );
        assert_eq!(
            leaves("use nix::unistd::{self};"),
            ["nix::unistd as unistd"]
        );
    }

    #[test]
    fn paths() {
        let trees = lex("::nix::unistd::fork::<u8>() $crate::x");
        let (path, next) = path_at(&trees, 0).expect("a path");
        assert!(path.absolute);
        assert_eq!(path.names(), ["nix", "unistd", "fork"]);
        assert!(trees[next].is_punct(':'));
        let dollar = trees.iter().position(|t| t.is_punct('$')).unwrap_or(0);
        let (path, _) = path_at(&trees, dollar).expect("$crate path");
        assert_eq!(path.names(), ["crate", "x"]);
        assert!(path_at(&lex("let x"), 0).is_none());
    }

    #[test]
    fn item_ends() {
        let trees = lex(
            "#[cfg(unix)] pub(crate) fn f() -> u8 { 1 } const X: S = S { a: 1 }; unsafe { f() } x;",
        );
        let (attr, after) = attr_at(&trees, 0).expect("attr");
        assert_eq!(attr.name, "cfg");
        assert_eq!(attr.args.as_deref(), Some("unix"));
        let end = item_end(&trees, after);
        assert!(trees[end].is_ident("const"));
        let end2 = item_end(&trees, end);
        assert!(trees[end2].is_ident("unsafe"));
        let end3 = item_end(&trees, end2);
        assert!(trees[end3].is_ident("x"));
    }
}
