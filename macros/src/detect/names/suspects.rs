//! Names that the checked modules bind to banned APIs under a name of their own (`use libc::fork
//! as spawn;`, `pub use nix::unistd as u;`, `extern crate libc as sys;`): a file that mentions
//! one is checked too, even though it mentions no banned word.

use crate::detect::names::index::{Binding, Crate};
use crate::detect::names::resolve::{Resolver, Target};
use crate::detect::rules::catalogue;
use crate::detect::source::prefilter::Prefilter;
use crate::detect::syntax::items::Ns;
use std::collections::HashSet;

/// Marks the files that mention a suspect name as worth checking; repeated while new names
/// appear (at most four rounds). `known`: the names already selected.
pub(crate) fn follow(krate: &Crate<'_>, resolver: &Resolver<'_, '_>, mut known: HashSet<String>) {
    for _ in 0..4 {
        let found = new_suspects(krate, resolver, &known);
        if found.is_empty() {
            return;
        }
        let prefilter = Prefilter::new(found.iter().map(String::as_str));
        for id in 0..krate.store.len() {
            krate.store.rescan(id, &prefilter, &found);
        }
        known.extend(found);
    }
}

/// The names, not yet `known`, that the hot modules import or bind to a banned API.
fn new_suspects(
    krate: &Crate<'_>,
    resolver: &Resolver<'_, '_>,
    known: &HashSet<String>,
) -> HashSet<String> {
    let mut found: HashSet<String> = HashSet::new();
    for id in 0..krate.module_count() {
        let hot = krate
            .module(id)
            .and_then(|m| krate.store.file(m.file))
            .is_some_and(|f| f.hot.get());
        if !hot {
            continue;
        }
        let Some(module) = krate.scope(id) else {
            continue;
        };
        let Some(scope) = module.names() else {
            continue;
        };
        for (name, slot) in &scope.names {
            if known.contains(name) || found.contains(name) {
                continue;
            }
            for (ns, binding) in [(Ns::Type, &slot.ty), (Ns::Value, &slot.value)] {
                if !matches!(binding, Some(Binding::Import(_) | Binding::Extern(_))) {
                    continue;
                }
                if let Some(Target::External(path)) = resolver.lookup(id, name, ns) {
                    if catalogue::leads_to_banned(&path) {
                        found.insert(name.clone());
                    }
                }
            }
        }
    }
    found
}
