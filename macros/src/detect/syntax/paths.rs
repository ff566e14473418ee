//! Paths as written (`a::b::c`, `::a`, `$crate::x`), `use` trees with their renames, groups,
//! `self` and globs, and the names a pattern binds. Like [`syntax`](crate::detect::syntax::items), everything
//! works on a [`Level`], never fails, and never looks outside the level it is given.

use crate::detect::syntax::lex::{Delim, Kind, Level};
use crate::detect::syntax::tokens::is_keyword;

/// One segment of a path as written.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Seg<'a> {
    pub name: &'a str,
    /// Byte offset of the segment in its file.
    pub at: u32,
}

/// A path as written: `a::b::c`, `::a::b`.
#[derive(Clone, Debug)]
pub(crate) struct Path<'a> {
    pub absolute: bool,
    pub segs: Vec<Seg<'a>>,
}

impl Path<'_> {
    /// The segments' names.
    pub(crate) fn names(&self) -> Vec<&str> {
        self.segs.iter().map(|seg| seg.name).collect()
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

/// Whether `level[i]` and `level[i + 1]` form `::`.
pub(crate) fn colons_at(level: &Level<'_>, i: usize) -> bool {
    level
        .get(i)
        .is_some_and(|n| n.is_punct(b':') && n.is_joint())
        && level.get(i + 1).is_some_and(|t| t.is_punct(b':'))
}

/// If a path starts at `i`, returns it and the index after it. `$crate` is read as `crate`.
/// The path stops before `::<`, `::{` and `::*`.
pub(crate) fn path_at<'a>(level: &Level<'a>, i: usize) -> Option<(Path<'a>, usize)> {
    let mut j = i;
    let mut absolute = false;
    if level.get(j).is_some_and(|t| t.is_punct(b'$'))
        && level.get(j + 1).is_some_and(|t| t.is_ident("crate"))
    {
        j += 1;
    } else if colons_at(level, j) {
        absolute = true;
        j += 2;
    }
    let mut segs = Vec::new();
    loop {
        let node = level.get(j)?;
        let name = node.ident()?;
        if is_keyword(name) {
            if segs.is_empty() {
                return None;
            }
            break;
        }
        segs.push(Seg {
            name,
            at: node.at(),
        });
        j += 1;
        if colons_at(level, j) && level.get(j + 2).and_then(|n| n.ident()).is_some() {
            j += 2;
        } else {
            break;
        }
    }
    Some((Path { absolute, segs }, j))
}

/// One name that a `use` declaration brings into scope (or a glob).
#[derive(Clone, Debug)]
pub(crate) struct UseLeaf<'a> {
    /// The full path of the imported item (for a glob: of the module it imports from).
    pub path: Path<'a>,
    /// The name bound: the last segment, the `as` alias, or `None` for `_` and globs.
    pub binding: Option<&'a str>,
    pub glob: bool,
}

/// The leaves of a `use` tree (the tokens after `use`, without the `;`).
pub(crate) fn use_tree<'a>(tree: Level<'a>) -> Vec<UseLeaf<'a>> {
    let mut leaves = Vec::new();
    let prefix = Path {
        absolute: false,
        segs: Vec::new(),
    };
    subtree(tree, prefix, &mut leaves, 0);
    leaves
}

/// One `use` subtree (`a::b::{c, d as e}`) under `prefix`.
fn subtree<'a>(
    level: Level<'a>,
    mut prefix: Path<'a>,
    leaves: &mut Vec<UseLeaf<'a>>,
    depth: usize,
) {
    if depth > 16 {
        return;
    }
    let mut j = 0;
    if colons_at(&level, 0) {
        prefix.absolute = prefix.segs.is_empty();
        j = 2;
    }
    while let Some(node) = level.get(j) {
        if let Some(name) = node.ident() {
            prefix.segs.push(Seg {
                name,
                at: node.at(),
            });
            j += 1;
            if colons_at(&level, j) {
                j += 2;
                continue;
            }
            // A leaf: `name` or `name as alias`.
            let mut binding = prefix.segs.last().map(|s| s.name);
            if level.get(j).is_some_and(|t| t.is_ident("as")) {
                binding = level.get(j + 1).and_then(|n| n.ident());
            }
            if binding == Some("_") {
                binding = None;
            }
            // `self` in a group names the group's prefix itself.
            if prefix.segs.last().is_some_and(|s| s.name == "self") && prefix.segs.len() > 1 {
                prefix.segs.pop();
                if binding == Some("self") {
                    binding = prefix.segs.last().map(|s| s.name);
                }
            }
            leaves.push(UseLeaf {
                path: prefix,
                binding,
                glob: false,
            });
            return;
        }
        if node.is_punct(b'*') {
            leaves.push(UseLeaf {
                path: prefix,
                binding: None,
                glob: true,
            });
            return;
        }
        if let Some((Delim::Brace, inner)) = node.group() {
            for part in inner.split(b',') {
                if !part.is_empty() {
                    subtree(part, prefix.clone(), leaves, depth + 1);
                }
            }
        }
        return;
    }
}

/// The names a pattern binds, from `level[start..]` up to its `=`, `;`, `:` or `in` (at the top
/// level; inside a group, `field: binding` binds `binding`).
pub(crate) fn pattern_names(level: &Level<'_>, start: usize) -> Vec<String> {
    let mut names = Vec::new();
    let mut stack = vec![(*level, start, true)];
    while let Some((level, start, top)) = stack.pop() {
        let mut i = start;
        while let Some(node) = level.get(i) {
            let colons = colons_at(&level, i) || (i > 0 && colons_at(&level, i - 1));
            match node.kind() {
                Kind::Punct {
                    ch: b'=' | b';', ..
                } if top => break,
                Kind::Punct { ch: b':', .. } if top && !colons => break,
                Kind::Ident if top && matches!(node.ident(), Some("in" | "else")) => break,
                Kind::Ident => {
                    let name = node.ident().unwrap_or("");
                    let next = level.get(i + 1);
                    let constructor =
                        next.is_some_and(|t| t.group().is_some()) || colons_at(&level, i + 1);
                    let field = next.is_some_and(|t| t.is_punct(b':')) && !colons_at(&level, i + 1);
                    let qualified = i >= 2 && colons_at(&level, i - 2);
                    if !is_keyword(name) && !constructor && !qualified && !field {
                        names.push(name.to_owned());
                    }
                }
                Kind::Group(_) if stack.len() < 32 => {
                    if let Some((_, inner)) = node.group() {
                        stack.push((inner, 0, false));
                    }
                }
                _ => {}
            }
            i += 1;
        }
    }
    names
}

/// The names a `fn`'s parameter list binds (`self` excluded).
pub(crate) fn parameter_names(params: &Level<'_>) -> Vec<String> {
    params
        .split(b',')
        .iter()
        .flat_map(|param| pattern_names(param, 0))
        .filter(|name| name != "self")
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::syntax::lex::lex;

    /// The leaves of `use …;`: the tree is the tokens between `use` and `;`.
    fn leaves(text: &str) -> Vec<String> {
        let tree = text.trim_start_matches("use ").trim_end_matches(';');
        let lx = lex(tree.to_owned());
        use_tree(lx.top())
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
        let lx = lex("::nix::unistd::fork::<u8>() $crate::x".to_owned());
        let top = lx.top();
        let (path, next) = path_at(&top, 0).expect("a path");
        assert!(path.absolute);
        assert_eq!(path.names(), ["nix", "unistd", "fork"]);
        assert!(top.get(next).is_some_and(|n| n.is_punct(b':')));
        let dollar = (0..top.len()).find(|&i| top.get(i).is_some_and(|t| t.is_punct(b'$')));
        let (path, _) = path_at(&top, dollar.unwrap_or(0)).expect("$crate path");
        assert_eq!(path.names(), ["crate", "x"]);
        assert!(path_at(&lex("let x".to_owned()).top(), 0).is_none());
    }
}
