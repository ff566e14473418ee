//! Name resolution, good enough to be exact about banned APIs: `use` trees with renames, groups,
//! `self` and globs, block-local `use` and items, `extern crate … as`, Cargo `package =` renames,
//! `crate::`/`self::`/`super::`/`::` paths and re-exports through the user's own modules.
//!
//! A path resolves either to something of the user's (a local item, which is never banned
//! whatever its name), to an external path (crate name first, canonical), or to nothing known.

use super::catalogue::{self, Kind};
use super::walk::{Crate, ModId};
use std::collections::HashMap;

/// How deep imports may chain before resolution gives up (cycles, pathological re-exports).
const MAX_DEPTH: usize = 24;
/// How many module lookups one resolution may make.
const LOOKUP_BUDGET: usize = 2_000;

/// The names visible in a module or block.
#[derive(Default, Clone, Debug)]
pub(crate) struct Scope {
    pub names: HashMap<String, Binding>,
    /// `use path::*;`: the paths imported from.
    pub globs: Vec<Import>,
}

impl Scope {
    /// Binds `name`. An import never replaces the user's own item or module of that name (they
    /// live in different namespaces in Rust, and only one binding is kept here).
    pub(crate) fn bind(&mut self, name: String, binding: Binding) {
        let keep = matches!(binding, Binding::Import(_))
            && matches!(
                self.names.get(&name),
                Some(Binding::Item | Binding::Module(_))
            );
        if !keep {
            self.names.insert(name, binding);
        }
    }
}

/// What a name in a [`Scope`] stands for.
#[derive(Clone, Debug)]
pub(crate) enum Binding {
    /// The user's own item, parameter or variable.
    Item,
    /// A module of this crate.
    Module(ModId),
    /// `use path as name;`.
    Import(Import),
    /// An external path: `extern crate x as name;`, or a function declared in an `extern` block
    /// (which is the foreign crate's symbol).
    Extern(Vec<String>),
}

/// A `use` path, resolved from the module it is written in.
#[derive(Clone, Debug)]
pub(crate) struct Import {
    pub path: Vec<String>,
    pub absolute: bool,
    pub module: ModId,
}

/// The outcome of resolving a path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Resolved {
    /// The user's own item (or something of std's prelude): never banned.
    Local,
    /// A module of this crate.
    Module(ModId),
    /// An external path, canonical (see [`catalogue::canonical`]). `reported` when the name was
    /// bound by an import or declaration that is itself banned, and so already reported.
    External { path: Vec<String>, reported: bool },
    /// Nothing known (an unresolvable path; rustc reports it if it is wrong).
    Unknown,
}

/// Where a path is resolved: a module and the block scopes around the path, innermost last.
pub(crate) struct At<'a> {
    pub module: ModId,
    pub scopes: &'a [Scope],
}

impl Crate<'_> {
    /// Resolves `segs` written at `at`. `in_use` for `use` paths, where a lone name may be a
    /// crate (`use fork;`); elsewhere a single segment is never a crate.
    pub(crate) fn resolve(
        &mut self,
        at: &At<'_>,
        absolute: bool,
        segs: &[String],
        in_use: bool,
    ) -> Resolved {
        self.budget = LOOKUP_BUDGET;
        self.resolve_depth(at, absolute, segs, in_use, 0)
    }

    fn resolve_depth(
        &mut self,
        at: &At<'_>,
        absolute: bool,
        segs: &[String],
        in_use: bool,
        depth: usize,
    ) -> Resolved {
        let Some((first, rest)) = segs.split_first() else {
            return Resolved::Unknown;
        };
        match self.budget.checked_sub(1) {
            Some(left) if depth <= MAX_DEPTH => self.budget = left,
            _ => return Resolved::Unknown,
        }
        if absolute {
            return self.external(first, rest);
        }
        match first.as_str() {
            "crate" => return self.in_module(0, rest, depth),
            "self" => return self.in_module(at.module, rest, depth),
            "Self" => return Resolved::Local,
            "super" => {
                let mut module = at.module;
                let mut rest = segs;
                while let Some(("super", tail)) = rest.split_first().map(|(h, t)| (h.as_str(), t)) {
                    module = self.modules.get(module).and_then(|m| m.parent).unwrap_or(0);
                    rest = tail;
                }
                return self.in_module(module, rest, depth);
            }
            _ => {}
        }
        for (level, scope) in at.scopes.iter().enumerate().rev() {
            if let Some(binding) = scope
                .names
                .get(first)
                .filter(|b| !self_referential(b, first))
                .cloned()
            {
                let outer = At {
                    module: at.module,
                    scopes: at.scopes.get(..=level).unwrap_or(&[]),
                };
                return self.follow(&binding, &outer, rest, depth);
            }
            for glob in scope.globs.clone() {
                // A glob's own path resolves outside the block that holds it.
                let outer = At {
                    module: at.module,
                    scopes: at.scopes.get(..level).unwrap_or(&[]),
                };
                if let Some(found) = self.through_glob(&glob, &outer, first, rest, depth) {
                    return found;
                }
            }
        }
        if let Some(found) = self.lookup(at.module, first, rest, depth) {
            return found;
        }
        if self.budget == 0 || (rest.is_empty() && !in_use) {
            return Resolved::Unknown;
        }
        self.external(first, rest)
    }

    /// `first::rest` where `first` is a name in the extern prelude.
    fn external(&self, first: &str, rest: &[String]) -> Resolved {
        let krate = self.extern_names.get(first).map_or(first, String::as_str);
        let mut path = vec![krate.to_owned()];
        path.extend(rest.iter().cloned());
        Resolved::External {
            path: catalogue::canonical(path),
            reported: false,
        }
    }

    /// `rest` inside `module`.
    fn in_module(&mut self, module: ModId, rest: &[String], depth: usize) -> Resolved {
        match rest.split_first() {
            None => Resolved::Module(module),
            Some((name, tail)) => self
                .lookup(module, name, tail, depth)
                .unwrap_or(Resolved::Unknown),
        }
    }

    /// `name::rest` looked up among `module`'s own names, then its globs.
    fn lookup(
        &mut self,
        module: ModId,
        name: &str,
        rest: &[String],
        depth: usize,
    ) -> Option<Resolved> {
        self.budget = self.budget.checked_sub(1)?;
        self.ensure_indexed(module);
        let scope = self.modules.get(module)?.scope.clone();
        let at = At {
            module,
            scopes: &[],
        };
        if let Some(binding) = scope.names.get(name).filter(|b| !self_referential(b, name)) {
            return Some(self.follow(binding, &at, rest, depth));
        }
        for glob in &scope.globs {
            if let Some(found) = self.through_glob(glob, &at, name, rest, depth) {
                return Some(found);
            }
        }
        None
    }

    /// `name::rest` through `use glob::*;`. An external glob (`use libc::*;`) is taken to provide
    /// `name` only when that makes a banned path: the crate's contents are unknown here, and only
    /// banned paths matter.
    fn through_glob(
        &mut self,
        glob: &Import,
        at: &At<'_>,
        name: &str,
        rest: &[String],
        depth: usize,
    ) -> Option<Resolved> {
        let base_at = At {
            module: glob.module,
            scopes: at.scopes,
        };
        match self.resolve_depth(&base_at, glob.absolute, &glob.path, true, depth + 1) {
            Resolved::Module(module) if module != at.module || !at.scopes.is_empty() => {
                self.lookup(module, name, rest, depth + 1)
            }
            Resolved::External { path, .. } => {
                let mut path = path;
                path.push(name.to_owned());
                path.extend(rest.iter().cloned());
                let path = catalogue::canonical(path);
                catalogue::lookup(&path).map(|_| Resolved::External {
                    path,
                    reported: false,
                })
            }
            _ => None,
        }
    }

    /// What `binding::rest` resolves to.
    fn follow(
        &mut self,
        binding: &Binding,
        at: &At<'_>,
        rest: &[String],
        depth: usize,
    ) -> Resolved {
        match binding {
            Binding::Item => Resolved::Local,
            Binding::Module(module) => self.in_module(*module, rest, depth + 1),
            Binding::Import(import) => {
                let import_at = At {
                    module: import.module,
                    scopes: if import.module == at.module {
                        at.scopes
                    } else {
                        &[]
                    },
                };
                // The import itself: banned (and so reported where it is written)?
                let own =
                    self.resolve_depth(&import_at, import.absolute, &import.path, true, depth + 1);
                let reported = banned_outright(&own);
                let mut full = import.path.clone();
                full.extend(rest.iter().cloned());
                match self.resolve_depth(&import_at, import.absolute, &full, true, depth + 1) {
                    Resolved::External {
                        path,
                        reported: inner,
                    } => Resolved::External {
                        path,
                        reported: reported || inner,
                    },
                    other => other,
                }
            }
            Binding::Extern(base) => {
                let mut path = base.clone();
                let reported = catalogue::lookup(&catalogue::canonical(path.clone()))
                    .is_some_and(|entry| entry.kind == Kind::Any);
                path.extend(rest.iter().cloned());
                Resolved::External {
                    path: catalogue::canonical(path),
                    reported,
                }
            }
        }
    }
}

/// `use fork::fork;` binds `fork`, but its own first segment is the crate: an import never
/// resolves through itself.
fn self_referential(binding: &Binding, name: &str) -> bool {
    matches!(binding, Binding::Import(import) if import.path.len() > 1 && import.path.first().is_some_and(|first| first == name))
}

/// Whether `resolved` is a banned API in every use (not only in some calls, like `dup2`).
pub(crate) fn banned_outright(resolved: &Resolved) -> bool {
    match resolved {
        Resolved::External { path, .. } => {
            catalogue::lookup(path).is_some_and(|entry| entry.kind == Kind::Any)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::super::prefilter::Prefilter;
    use super::super::walk::tests::Memory;
    use super::*;
    use std::path::Path;

    fn resolve_in_main(main: &str, other: &[(&str, &str)], path: &str) -> Resolved {
        let mut files = vec![("/c/src/main.rs", main)];
        files.extend_from_slice(other);
        let memory = Memory::new(&files);
        let mut krate = Crate::walk(
            Path::new("/c/src/main.rs"),
            &memory,
            Prefilter::new(["fork", "daemon", "setsid"]),
            HashMap::from([("bg".to_owned(), "daemonize".to_owned())]),
        )
        .expect("root");
        let segs: Vec<String> = path.split("::").map(str::to_owned).collect();
        krate.resolve(
            &At {
                module: 0,
                scopes: &[],
            },
            false,
            &segs,
            false,
        )
    }

    fn external(path: &str, reported: bool) -> Resolved {
        Resolved::External {
            path: path.split("::").map(str::to_owned).collect(),
            reported,
        }
    }

    #[test]
    fn renames_groups_and_self() {
        let main = "use nix::unistd::{self as u, fork as spawn}; use nix::{libc as c};";
        assert_eq!(
            resolve_in_main(main, &[], "u::setsid"),
            external("nix::unistd::setsid", false)
        );
        assert_eq!(
            resolve_in_main(main, &[], "spawn"),
            external("nix::unistd::fork", true)
        );
        assert_eq!(
            resolve_in_main(main, &[], "c::fork"),
            external("libc::fork", false)
        );
    }

    #[test]
    fn local_items_shadow() {
        let main = "use libc::*; fn fork() {} mod daemonize { pub fn start() {} } mod nix { pub mod unistd { pub fn setsid() {} } }";
        assert_eq!(resolve_in_main(main, &[], "fork"), Resolved::Local);
        assert_eq!(
            resolve_in_main(main, &[], "daemonize::start"),
            Resolved::Local
        );
        assert_eq!(
            resolve_in_main(main, &[], "nix::unistd::setsid"),
            Resolved::Local
        );
        assert_eq!(
            resolve_in_main(main, &[], "setsid"),
            external("libc::setsid", false)
        );
        assert_eq!(resolve_in_main(main, &[], "getpid"), Resolved::Unknown);
    }

    #[test]
    fn extern_prelude_and_renames() {
        assert_eq!(
            resolve_in_main("", &[], "bg::Daemonize"),
            external("daemonize::Daemonize", false)
        );
        assert_eq!(
            resolve_in_main("extern crate libc as sys;", &[], "sys::fork"),
            external("libc::fork", false)
        );
        assert_eq!(resolve_in_main("", &[], "fork"), Resolved::Unknown);
        assert_eq!(
            resolve_in_main("", &[], "fork::daemon"),
            external("fork::daemon", false)
        );
    }

    #[test]
    fn reexports_across_files() {
        let other = [
            ("/c/src/a.rs", "pub use nix::unistd;\npub use libc::*;\npub mod inner { pub use super::unistd as u2; }"),
            ("/c/src/b.rs", "pub use crate::a::inner::u2::daemon as d;"),
        ];
        let main = "mod a; mod b;";
        assert_eq!(
            resolve_in_main(main, &other, "a::unistd::fork"),
            external("nix::unistd::fork", false)
        );
        assert_eq!(
            resolve_in_main(main, &other, "a::vfork"),
            external("libc::vfork", false)
        );
        assert_eq!(
            resolve_in_main(main, &other, "a::inner::u2::setsid"),
            external("nix::unistd::setsid", false)
        );
        assert_eq!(
            resolve_in_main(main, &other, "b::d"),
            external("nix::unistd::daemon", true)
        );
        assert_eq!(
            resolve_in_main(main, &other, "crate::a::getpid"),
            Resolved::Unknown
        );
    }

    #[test]
    fn foreign_declarations() {
        let main = "extern \"C\" { fn fork() -> i32; #[link_name = \"setsid\"] fn new_session() -> i32; fn getpid() -> i32; }";
        assert_eq!(
            resolve_in_main(main, &[], "fork"),
            external("libc::fork", true)
        );
        assert_eq!(
            resolve_in_main(main, &[], "new_session"),
            external("libc::setsid", true)
        );
        assert_eq!(
            resolve_in_main(main, &[], "getpid"),
            external("libc::getpid", false)
        );
    }

    #[test]
    fn cycles_terminate() {
        let main = "use a::x; mod a { pub use super::x; } use b::*; mod b { pub use super::*; }";
        assert_eq!(resolve_in_main(main, &[], "x"), Resolved::Unknown);
        assert_eq!(resolve_in_main(main, &[], "y"), Resolved::Unknown);
    }
}
