//! Paths assembled by macros: `macro_rules! sys { ($f:ident) => { libc::$f() } }` invoked as
//! `sys!(fork)` calls `libc::fork` though no token spells it, and `paste!`'s
//! `libc::[<fo rk>]()` glues the name together. A `macro_rules!` body that appends a
//! metavariable to a path leading to banned APIs is remembered by the macro's name; an invocation
//! of that name passing the rest of a banned path is denied at the passed name. Macros are
//! matched by name, crate-wide, whatever the order of definition and use.

use super::{idents_in, ByName};
use crate::detect::check::finding::Finding;
use crate::detect::check::Checker;
use crate::detect::names::resolve::Target;
use crate::detect::rules;
use crate::detect::rules::catalogue::{self, Rule};
use crate::detect::syntax::lex::{Delim, Kind, Level, Node, Pos};
use crate::detect::syntax::paths::{colons_at, Path};
use std::collections::HashSet;
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::OnceLock;

/// An invocation `name!(…)` passing `ident`.
struct Invocation {
    name: String,
    ident: String,
    file: PathBuf,
    pos: Pos,
    cfg: Vec<Rc<str>>,
}

/// What is known crate-wide.
#[derive(Default)]
pub(super) struct Assembled {
    /// Per macro name: the paths its body appends a metavariable to (`libc`).
    prefixes: ByName<Rc<[String]>>,
    invocations: Vec<Invocation>,
}

impl Assembled {
    /// The invocations that assemble a banned path.
    pub(super) fn finish(self) -> Vec<Finding> {
        let mut out = Vec::new();
        for call in self.invocations {
            for prefix in self.prefixes.get(&call.name).into_iter().flatten() {
                let mut full: Vec<String> = prefix.to_vec();
                full.push(call.ident.clone());
                let full = catalogue::canonical(full);
                let Some(entry) = catalogue::lookup(&full).filter(|e| e.rule == Rule::Any) else {
                    continue;
                };
                out.push(Finding {
                    entry,
                    title: entry.path.to_owned(),
                    written: Some(format!(
                        "{}!({}), whose body calls {}::$…",
                        call.name,
                        call.ident,
                        prefix.join("::"),
                    )),
                    file: call.file.clone(),
                    pos: call.pos,
                    cfg: call.cfg.clone(),
                    import: false,
                });
                break;
            }
        }
        out
    }
}

/// The names that can end a banned path, once.
fn banned_names() -> &'static HashSet<&'static str> {
    static NAMES: OnceLock<HashSet<&'static str>> = OnceLock::new();
    NAMES.get_or_init(|| rules::names().collect())
}

/// The path written just before `level[colons]` (`a::b` in `a::b::$f`), if any.
fn path_before<'a>(level: &Level<'a>, colons: usize) -> Option<(bool, Vec<&'a str>)> {
    let mut segs = Vec::new();
    let mut end = colons;
    loop {
        let name = end.checked_sub(1).and_then(|k| level.get(k))?.ident()?;
        segs.push(name);
        end -= 1;
        if end >= 2 && colons_at(level, end - 2) {
            end -= 2;
            if end == 0 || level.get(end - 1).and_then(|n| n.ident()).is_none() {
                segs.reverse();
                return Some((true, segs));
            }
        } else {
            segs.reverse();
            return Some((false, segs));
        }
    }
}

impl Checker<'_, '_, '_> {
    /// `macro_rules! name { … }` (the item's tokens `toks`, its rules `body`): remembers the
    /// paths its body appends a metavariable to.
    pub(in crate::detect::check) fn macro_rules(&mut self, toks: &Level<'_>, body: Level<'_>) {
        let Some(name) = (0..toks.len())
            .find(|&k| toks.get(k).is_some_and(|n| n.is_punct(b'!')))
            .and_then(|k| toks.get(k + 1))
            .and_then(|n| n.ident())
        else {
            return;
        };
        let mut stack = vec![(body, 0)];
        while let Some((level, depth)) = stack.pop() {
            for (i, node) in level.iter().enumerate() {
                if let Some((_, inner)) = node.group().filter(|_| depth < 16) {
                    stack.push((inner, depth + 1));
                    continue;
                }
                let metavariable = node.is_punct(b'$')
                    && level
                        .get(i + 1)
                        .is_some_and(|n| n.ident().is_some_and(|n| n != "crate"));
                if !metavariable || i < 2 || !colons_at(&level, i - 2) {
                    continue;
                }
                let Some((absolute, segs)) = path_before(&level, i - 2) else {
                    continue;
                };
                let target = self.resolver.resolve(&self.at(), absolute, &segs, true);
                if let Target::External(prefix) = target {
                    if catalogue::leads_to_banned(&prefix) {
                        let known = self
                            .effects
                            .assembled
                            .prefixes
                            .entry(name.to_owned())
                            .or_default();
                        if !known.contains(&prefix) {
                            known.push(prefix);
                        }
                    }
                }
            }
        }
    }

    /// An invocation `name!(…)` with its argument group `args`: the names it passes that end a
    /// banned path, to be matched with the macros' bodies.
    pub(in crate::detect::check) fn macro_call(&mut self, name: &str, args: Option<Node<'_>>) {
        let Some((_, inner)) = args.and_then(|a| a.group()) else {
            return;
        };
        for (ident, at) in idents_in(&inner) {
            if !banned_names().contains(ident.as_str()) {
                continue;
            }
            let call = Invocation {
                name: name.to_owned(),
                ident,
                file: self.path.clone(),
                pos: inner.lexed().pos(at),
                cfg: self.cfg.clone(),
            };
            self.effects.assembled.invocations.push(call);
        }
    }

    /// `path::[<fo rk>]` (`paste!`'s concatenation) after the path at `level[..next]`.
    pub(in crate::detect::check) fn pasted(
        &mut self,
        level: &Level<'_>,
        path: &Path<'_>,
        next: usize,
    ) {
        if !colons_at(level, next) {
            return;
        }
        let Some((Delim::Bracket, inner)) = level.get(next + 2).and_then(|n| n.group()) else {
            return;
        };
        let last = inner.len().saturating_sub(1);
        if inner.len() < 3
            || !inner.get(0).is_some_and(|n| n.is_punct(b'<'))
            || !inner.get(last).is_some_and(|n| n.is_punct(b'>'))
        {
            return;
        }
        let mut name = String::new();
        for k in 1..last {
            let Some(node) = inner.get(k) else { break };
            match node.kind() {
                Kind::Ident => name.push_str(node.ident().unwrap_or("")),
                Kind::Str { .. } => name.push_str(&node.string().unwrap_or_default()),
                _ => break, // `:lower` and the like: the rest is a modifier
            }
        }
        let target = self
            .resolver
            .resolve(&self.at(), path.absolute, &path.names(), true);
        let Target::External(prefix) = target else {
            return;
        };
        let mut full = prefix.to_vec();
        full.push(name.clone());
        let full = catalogue::canonical(full);
        if let Some(entry) = catalogue::lookup(&full).filter(|e| e.rule == Rule::Any) {
            let at = inner.get(1).map_or(0, |n| n.at());
            let written = format!("{}::[<…>] ({name})", path.display());
            self.push(
                entry,
                entry.path.to_owned(),
                Some(written),
                at,
                level.lexed(),
            );
        }
    }
}
