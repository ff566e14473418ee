//! Name resolution, good enough to be exact about banned APIs: `use` trees with renames, groups,
//! `self` and globs, block-local `use` and items, `extern crate … as`, Cargo `package =` renames,
//! `crate::`/`self::`/`super::`/`::` paths and re-exports through the user's own modules.
//!
//! Its cost is linear in what it is asked: every `(module, namespace, name)` is settled once and
//! memoized, found or not, so a name that resolves nowhere (`Ok`, a parameter) is never chased
//! through glob chains again; scopes are borrowed from the index, never copied; and one budget,
//! owned by the resolver, bounds the whole scan. Import cycles resolve to nothing.

use crate::detect::names::index::{Binding, Crate, Import, ModId, Scope};
use crate::detect::rules::catalogue;
use crate::detect::syntax::items::Ns;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

/// How many lookups the resolver computes in one scan (memo hits are free).
const BUDGET: usize = 2_000_000;
/// Deepest chain of imports followed at once.
const MAX_DEPTH: usize = 96;

/// What a path stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Target {
    /// The user's own item (or something of std's prelude): never banned.
    Local,
    /// A module of this crate.
    Module(ModId),
    /// An external path, canonical (see [`catalogue::canonical`]), crate name first.
    External(Rc<[String]>),
    /// Nothing known (an unresolvable path; rustc reports it if it is wrong).
    Unknown,
}

/// A block's names, with its glob imports resolved once when the block is entered.
pub(crate) struct Block {
    pub scope: Scope,
    pub globs: Vec<Target>,
}

/// Where a path is written: a module and the blocks around the path, innermost last.
pub(crate) struct At<'a> {
    pub module: ModId,
    pub blocks: &'a [Block],
}

#[derive(Clone)]
enum Memo {
    InProgress,
    Done(Option<Target>),
}

/// The resolver for one scan of one crate.
pub(crate) struct Resolver<'c, 's> {
    krate: &'c Crate<'s>,
    memo: RefCell<HashMap<(ModId, Ns, String), Memo>>,
    budget: Cell<usize>,
    depth: Cell<usize>,
}

impl<'c, 's> Resolver<'c, 's> {
    /// A resolver over `krate`.
    pub(crate) fn new(krate: &'c Crate<'s>) -> Resolver<'c, 's> {
        Resolver {
            krate,
            memo: RefCell::new(HashMap::new()),
            budget: Cell::new(BUDGET),
            depth: Cell::new(0),
        }
    }

    /// Resolves the path `segs` written at `at`. `in_use` for `use` paths, where a lone name may
    /// be a crate (`use fork;`); elsewhere a single segment is a value and never a crate.
    pub(crate) fn resolve(
        &self,
        at: &At<'_>,
        absolute: bool,
        segs: &[&str],
        in_use: bool,
    ) -> Target {
        let depth = self.depth.get();
        if depth >= MAX_DEPTH {
            return Target::Unknown;
        }
        self.depth.set(depth + 1);
        let target = self.resolve_inner(at, absolute, segs, in_use);
        self.depth.set(depth);
        target
    }

    fn resolve_inner(&self, at: &At<'_>, absolute: bool, segs: &[&str], in_use: bool) -> Target {
        let Some((&first, rest)) = segs.split_first() else {
            return Target::Unknown;
        };
        let local = |name: &str| self.krate.local_crate(name).map(Target::Module);
        let mut target = match first {
            _ if absolute => match local(first) {
                Some(target) => target,
                None => return self.external(first, rest),
            },
            "crate" => Target::Module(self.krate.root_of(at.module)),
            "self" => Target::Module(at.module),
            "super" => Target::Module(self.parent(at.module)),
            "Self" => return Target::Local,
            _ if rest.is_empty() && !in_use => {
                return self
                    .first(at, first, Ns::Value)
                    .or_else(|| self.first(at, first, Ns::Type))
                    .unwrap_or(Target::Unknown);
            }
            _ => match self.first(at, first, Ns::Type).or_else(|| local(first)) {
                Some(target) => target,
                None => return self.external(first, rest),
            },
        };
        for (i, &seg) in rest.iter().enumerate() {
            let last = i + 1 == rest.len();
            target = match target {
                Target::Module(m) if seg == "super" => Target::Module(self.parent(m)),
                Target::Module(m) if seg == "self" => Target::Module(m),
                Target::Module(m) if last => self
                    .lookup(m, seg, Ns::Value)
                    .or_else(|| self.lookup(m, seg, Ns::Type))
                    .unwrap_or(Target::Unknown),
                Target::Module(m) => self.lookup(m, seg, Ns::Type).unwrap_or(Target::Unknown),
                Target::External(path) => Target::External(append(&path, &[seg])),
                other => return other,
            };
        }
        target
    }

    fn parent(&self, module: ModId) -> ModId {
        self.krate
            .module(module)
            .and_then(|m| m.parent)
            .unwrap_or(0)
    }

    /// `first::rest` where `first` is a name in the extern prelude.
    fn external(&self, first: &str, rest: &[&str]) -> Target {
        let mut path = vec![self.krate.extern_name(first)];
        path.extend(rest.iter().map(|s| (*s).to_owned()));
        Target::External(Rc::from(catalogue::canonical(path)))
    }

    /// The first segment `name`, in the blocks around the path, then in its module.
    fn first(&self, at: &At<'_>, name: &str, ns: Ns) -> Option<Target> {
        for block in at.blocks.iter().rev() {
            if let Some(binding) = block.scope.names.get(name).and_then(|slot| slot.get(ns)) {
                if !self_referential(binding, name) {
                    return Some(self.follow(binding));
                }
            }
            for base in &block.globs {
                if let Some(found) = self.through(base, name, ns, None) {
                    return Some(found);
                }
            }
        }
        self.lookup(at.module, name, ns)
    }

    /// `name` among `module`'s own names, then its globs; memoized.
    pub(crate) fn lookup(&self, module: ModId, name: &str, ns: Ns) -> Option<Target> {
        let key = (module, ns, name.to_owned());
        match self.memo.borrow().get(&key) {
            Some(Memo::InProgress) => return None,
            Some(Memo::Done(found)) => return found.clone(),
            None => {}
        }
        let left = self.budget.get().checked_sub(1)?;
        self.budget.set(left);
        self.memo.borrow_mut().insert(key.clone(), Memo::InProgress);
        let found = self.compute(module, name, ns);
        self.memo
            .borrow_mut()
            .insert(key, Memo::Done(found.clone()));
        found
    }

    fn compute(&self, module: ModId, name: &str, ns: Ns) -> Option<Target> {
        let m = self.krate.scope(module)?;
        let scope = m.names()?;
        if let Some(binding) = scope.names.get(name).and_then(|slot| slot.get(ns)) {
            if !self_referential(binding, name) {
                return Some(self.follow(binding));
            }
        }
        for glob in &scope.globs {
            let base = self.glob_base(glob);
            if let Some(found) = self.through(&base, name, ns, Some(module)) {
                return Some(found);
            }
        }
        None
    }

    /// What a `use base::*;` imports from.
    pub(crate) fn glob_base(&self, glob: &Import) -> Target {
        let segs: Vec<&str> = glob.path.iter().map(String::as_str).collect();
        let at = At {
            module: glob.module,
            blocks: &[],
        };
        self.resolve(&at, glob.absolute, &segs, true)
    }

    /// `name` through a glob import from `base`. An external glob (`use libc::*;`) provides
    /// `name` only where that leads to a banned path: the crate's contents are unknown here and
    /// only banned paths matter. A glob of a banned item (`use nix::unistd::ForkResult::*;`)
    /// provides nothing: the import itself is the finding.
    fn through(&self, base: &Target, name: &str, ns: Ns, from: Option<ModId>) -> Option<Target> {
        match base {
            Target::Module(m) if Some(*m) != from => self.lookup(*m, name, ns),
            Target::External(path) => {
                if catalogue::banned_outright(path) {
                    return None;
                }
                let full = Rc::from(catalogue::canonical(append(path, &[name]).to_vec()));
                catalogue::leads_to_banned(&full).then_some(Target::External(full))
            }
            _ => None,
        }
    }

    /// What a binding stands for.
    fn follow(&self, binding: &Binding) -> Target {
        match binding {
            Binding::Item => Target::Local,
            Binding::Module(module) => Target::Module(*module),
            Binding::Extern(path) => {
                Target::External(Rc::from(catalogue::canonical(path.to_vec())))
            }
            Binding::Import(import) => {
                let segs: Vec<&str> = import.path.iter().map(String::as_str).collect();
                let at = At {
                    module: import.module,
                    blocks: &[],
                };
                self.resolve(&at, import.absolute, &segs, true)
            }
        }
    }
}

fn append(path: &[String], rest: &[&str]) -> Rc<[String]> {
    let mut out = path.to_vec();
    out.extend(rest.iter().map(|s| (*s).to_owned()));
    Rc::from(catalogue::canonical(out))
}

/// `use fork::fork;` binds `fork`, but its own first segment is the crate: an import never
/// resolves through itself.
fn self_referential(binding: &Binding, name: &str) -> bool {
    matches!(binding, Binding::Import(import) if import.path.len() > 1 && import.path.first().is_some_and(|first| first == name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::source::prefilter::Prefilter;
    use crate::detect::source::store::{tests::Memory, Store};
    use std::path::Path;

    fn resolve_in_main(main: &str, other: &[(&str, &str)], path: &str) -> Target {
        let mut files = vec![("/c/src/main.rs", main)];
        files.extend_from_slice(other);
        let memory = Memory::new(&files);
        let store = Store::new(
            &memory,
            Prefilter::new(["fork", "daemon", "setsid"]),
            Default::default(),
        );
        let krate = Crate::walk(
            Path::new("/c/src/main.rs"),
            store,
            HashMap::from([("bg".to_owned(), "daemonize".to_owned())]),
        )
        .expect("root");
        let resolver = Resolver::new(&krate);
        let segs: Vec<&str> = path.split("::").collect();
        resolver.resolve(
            &At {
                module: 0,
                blocks: &[],
            },
            false,
            &segs,
            false,
        )
    }

    fn external(path: &str) -> Target {
        Target::External(path.split("::").map(str::to_owned).collect())
    }

    #[test]
    fn renames_groups_and_self() {
        let main = "use nix::unistd::{self as u, fork as spawn}; use nix::{libc as c};";
        assert_eq!(
            resolve_in_main(main, &[], "u::setsid"),
            external("nix::unistd::setsid")
        );
        assert_eq!(
            resolve_in_main(main, &[], "spawn"),
            external("nix::unistd::fork")
        );
        assert_eq!(
            resolve_in_main(main, &[], "c::fork"),
            external("libc::fork")
        );
    }

    #[test]
    fn local_items_shadow() {
        let main = "use libc::*; fn fork() {} mod daemonize { pub fn start() {} } mod nix { pub mod unistd { pub fn setsid() {} } }";
        assert_eq!(resolve_in_main(main, &[], "fork"), Target::Local);
        assert_eq!(
            resolve_in_main(main, &[], "daemonize::start"),
            Target::Local
        );
        assert_eq!(
            resolve_in_main(main, &[], "nix::unistd::setsid"),
            Target::Local
        );
        assert_eq!(
            resolve_in_main(main, &[], "setsid"),
            external("libc::setsid")
        );
        assert_eq!(resolve_in_main(main, &[], "getpid"), Target::Unknown);
    }

    #[test]
    fn namespaces_keep_crates_visible() {
        let main = "pub fn daemonize() {} fn fork() {}";
        assert_eq!(
            resolve_in_main(main, &[], "daemonize::Daemonize::new"),
            external("daemonize::Daemonize::new")
        );
        assert_eq!(resolve_in_main(main, &[], "daemonize"), Target::Local);
        assert_eq!(
            resolve_in_main(main, &[], "fork::daemon"),
            external("fork::daemon")
        );
    }

    #[test]
    fn extern_prelude_and_renames() {
        assert_eq!(
            resolve_in_main("", &[], "bg::Daemonize"),
            external("daemonize::Daemonize")
        );
        assert_eq!(
            resolve_in_main("extern crate libc as sys;", &[], "sys::fork"),
            external("libc::fork")
        );
        assert_eq!(resolve_in_main("", &[], "fork"), Target::Unknown);
        assert_eq!(
            resolve_in_main("", &[], "fork::daemon"),
            external("fork::daemon")
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
            external("nix::unistd::fork")
        );
        assert_eq!(
            resolve_in_main(main, &other, "a::vfork"),
            external("libc::vfork")
        );
        assert_eq!(
            resolve_in_main(main, &other, "a::inner::u2::setsid"),
            external("nix::unistd::setsid")
        );
        assert_eq!(
            resolve_in_main(main, &other, "b::d"),
            external("nix::unistd::daemon")
        );
        assert_eq!(
            resolve_in_main(main, &other, "crate::a::getpid"),
            Target::Unknown
        );
    }

    #[test]
    fn foreign_declarations() {
        let main = "extern \"C\" { fn fork() -> i32; #[link_name = \"setsid\"] fn new_session() -> i32; fn getpid() -> i32; }";
        assert_eq!(resolve_in_main(main, &[], "fork"), external("libc::fork"));
        assert_eq!(
            resolve_in_main(main, &[], "new_session"),
            external("libc::setsid")
        );
        assert_eq!(
            resolve_in_main(main, &[], "getpid"),
            external("libc::getpid")
        );
    }

    #[test]
    fn cycles_and_banned_globs_resolve_to_nothing() {
        let main = "use a::x; mod a { pub use super::x; } use b::*; mod b { pub use super::*; }";
        assert_eq!(resolve_in_main(main, &[], "x"), Target::Unknown);
        assert_eq!(resolve_in_main(main, &[], "y"), Target::Unknown);
        let main = "use nix::unistd::ForkResult::*; mod m { pub use super::*; } use m::*;";
        assert_eq!(resolve_in_main(main, &[], "Some"), Target::Unknown);
        assert_eq!(resolve_in_main(main, &[], "Child"), Target::Unknown);
    }
}
