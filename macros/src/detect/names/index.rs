//! The index: the crate's modules and the names each module (or block) binds.
//!
//! The module tree is found from the file `#[twelve_factor::main]` stands in: `mod x;` in both
//! layouts, `#[path]` on file and inline modules, inline modules with file children, `mod x;`
//! inside item-position macro calls such as `cfg_if!` (every branch), and `include!("…")`d files.
//! A module's names are indexed when first needed: at once for files that may declare module
//! files or include files (the walk must follow them) and for files the prefilter selected,
//! lazily for the rest, when resolving a path looks into them.
//!
//! Names are kept per namespace ([`Ns`]): `fn daemonize()` does not hide the crate
//! `daemonize` from the path `daemonize::Daemonize`.

pub(crate) use crate::detect::names::scope::{Binding, Import, ModId, Scope};
use crate::detect::rules::catalogue::FOREIGN_CRATE;
use crate::detect::source::store::{normalize, FileId, Load, Store};
use crate::detect::syntax::items::{self, Item, ItemKind, Ns};
use crate::detect::syntax::lex::{Delim, Level, Node};
use crate::detect::syntax::paths;
use std::cell::{Cell, OnceCell, RefCell};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// Deepest module nesting followed.
const MAX_MODULE_DEPTH: usize = 64;
/// Deepest chain of `include!`s and item-macro bodies followed while indexing.
const MAX_NESTING: usize = 8;
/// Deepest indexing in progress at once, modules inside modules and the includes and macro
/// bodies in each of them counted together: each level costs stack.
const MAX_ACTIVE: usize = 96;
/// At most this many `include!`s are expanded and this many modules made, crate-wide: files
/// that include each other several times would otherwise cost time exponential in the nesting.
const MAX_INCLUDES: usize = 1024;
const MAX_MODULES: usize = 50_000;

/// One module: a file module or an inline `mod x { … }`.
pub(crate) struct Module {
    pub parent: Option<ModId>,
    pub file: FileId,
    /// An inline module's brace group, as a token of `file`.
    pub group: Option<u32>,
    /// The `cfg` predicates on this module and its ancestors.
    pub cfg: Vec<Rc<str>>,
    /// Where `mod x;` inside this module looks for `x.rs` and `x/mod.rs`.
    child_dir: PathBuf,
    pub inline: bool,
    depth: usize,
    scope: OnceCell<Scope>,
    indexing: Cell<bool>,
}

impl Module {
    /// The names the module binds, if it was indexed.
    pub(crate) fn names(&self) -> Option<&Scope> {
        self.scope.get()
    }
}

/// The crate as far as it was read: the store of sources and the module index.
pub(crate) struct Crate<'s> {
    pub store: Store<'s>,
    modules: RefCell<Vec<Rc<Module>>>,
    /// Names in the extern prelude that differ from the crate's library name: Cargo `package =`
    /// renames and `extern crate … as …` at the root.
    extern_names: RefCell<HashMap<String, String>>,
    /// The user's other crates scanned with this one (the package's library, workspace path
    /// dependencies), by their name in the code: paths through them resolve into their modules.
    local_crates: RefCell<HashMap<String, ModId>>,
    /// The roots of the attribute's own package: the binary (0) and its library target.
    own_roots: RefCell<Vec<ModId>>,
    /// The files whose items are being bound right now, once per level of indexing (a module,
    /// an include, a macro body): including one of them again is a cycle (rustc stops it at its
    /// recursion limit), followed once.
    binding: RefCell<Vec<FileId>>,
    /// How many `include!`s may still be expanded.
    includes_left: Cell<usize>,
    /// The files included into each module so far, at item level.
    bound: RefCell<HashSet<(ModId, FileId)>>,
}

impl<'s> Crate<'s> {
    /// The crate whose root file is `root`; `None` when it cannot be read. The root and every
    /// file that may declare modules are indexed now.
    pub(crate) fn walk(
        root: &Path,
        store: Store<'s>,
        extern_names: HashMap<String, String>,
    ) -> Option<Crate<'s>> {
        let Load::New(file) = store.load(root) else {
            return None;
        };
        let krate = Crate {
            store,
            modules: RefCell::new(Vec::new()),
            extern_names: RefCell::new(extern_names),
            local_crates: RefCell::new(HashMap::new()),
            own_roots: RefCell::new(vec![0]),
            binding: RefCell::new(Vec::new()),
            includes_left: Cell::new(MAX_INCLUDES),
            bound: RefCell::new(HashSet::new()),
        };
        let child_dir = root.parent().map(Path::to_path_buf).unwrap_or_default();
        krate.push_module(Module {
            parent: None,
            file,
            group: None,
            cfg: Vec::new(),
            child_dir,
            inline: false,
            depth: 0,
            scope: OnceCell::new(),
            indexing: Cell::new(false),
        });
        krate.scope(0);
        Some(krate)
    }

    /// Adds another crate of the user's, named `name` in the code, whose root file is `root`
    /// (skipped when that file was read already); `own` for the package's own library.
    pub(crate) fn add_root(&self, name: &str, root: &Path, own: bool) -> Option<ModId> {
        let Load::New(file) = self.store.load(root) else {
            return None;
        };
        let id = self.push_module(Module {
            parent: None,
            file,
            group: None,
            cfg: Vec::new(),
            child_dir: root.parent().map(Path::to_path_buf).unwrap_or_default(),
            inline: false,
            depth: 0,
            scope: OnceCell::new(),
            indexing: Cell::new(false),
        });
        self.local_crates.borrow_mut().insert(name.to_owned(), id);
        if own {
            self.own_roots.borrow_mut().push(id);
        }
        self.scope(id);
        Some(id)
    }

    /// The root module of the user's crate `name`, if it is one.
    pub(crate) fn local_crate(&self, name: &str) -> Option<ModId> {
        self.local_crates.borrow().get(name).copied()
    }

    /// Whether `module` belongs to the attribute's own package (not another workspace member).
    pub(crate) fn is_own(&self, module: ModId) -> bool {
        self.own_roots.borrow().contains(&self.root_of(module))
    }

    /// The root module of the crate `module` belongs to.
    pub(crate) fn root_of(&self, mut module: ModId) -> ModId {
        for _ in 0..=MAX_MODULE_DEPTH {
            match self.module(module).and_then(|m| m.parent) {
                Some(parent) => module = parent,
                None => break,
            }
        }
        module
    }

    fn push_module(&self, module: Module) -> ModId {
        let mut modules = self.modules.borrow_mut();
        modules.push(Rc::new(module));
        modules.len() - 1
    }

    /// The module `id`.
    pub(crate) fn module(&self, id: ModId) -> Option<Rc<Module>> {
        self.modules.borrow().get(id).cloned()
    }

    /// How many modules are known so far.
    pub(crate) fn module_count(&self) -> usize {
        self.modules.borrow().len()
    }

    /// The library name behind an extern-prelude name.
    pub(crate) fn extern_name(&self, name: &str) -> String {
        self.extern_names
            .borrow()
            .get(name)
            .cloned()
            .unwrap_or_else(|| name.to_owned())
    }

    /// The names module `id` binds, indexing it on first use. `None` for an unknown module, or
    /// while the module is being indexed.
    pub(crate) fn scope(&self, id: ModId) -> Option<Rc<Module>> {
        let module = self.module(id)?;
        if module.scope.get().is_none() {
            if module.indexing.replace(true) {
                return None;
            }
            let scope = self.index_module(id, &module);
            let _ = module.scope.set(scope);
            module.indexing.set(false);
        }
        Some(module)
    }

    fn index_module(&self, id: ModId, module: &Module) -> Scope {
        let mut scope = Scope::default();
        let Some(file) = self.store.file(module.file) else {
            return scope;
        };
        if !self.may_nest() {
            return scope;
        }
        self.binding.borrow_mut().push(module.file);
        let lexed = file.lexed();
        let body = match module.group {
            Some(group) => lexed.group_level(group),
            None => lexed.top(),
        };
        let mut ctx = Ctx {
            module: id,
            file: module.file,
            block: false,
            nesting: 0,
        };
        self.bind_items(body, &mut ctx, &mut scope);
        self.binding.borrow_mut().pop();
        scope
    }

    /// Whether one more level of indexing (a module, an include, a macro body) fits on the stack.
    fn may_nest(&self) -> bool {
        self.binding.borrow().len() < MAX_ACTIVE
    }

    /// The names bound by the items of a block (where `mod x;` cannot appear).
    pub(crate) fn block_scope(&self, module: ModId, file: FileId, body: Level<'_>) -> Scope {
        let mut scope = Scope::default();
        let mut ctx = Ctx {
            module,
            file,
            block: true,
            nesting: 0,
        };
        self.bind_items(body, &mut ctx, &mut scope);
        scope
    }

    fn bind_items(&self, level: Level<'_>, ctx: &mut Ctx, scope: &mut Scope) {
        for item in items::items(level) {
            self.bind_item(&item, ctx, scope);
        }
    }

    fn bind_item(&self, item: &Item<'_>, ctx: &mut Ctx, scope: &mut Scope) {
        match &item.kind {
            ItemKind::Use(tree) => {
                for leaf in paths::use_tree(*tree) {
                    let import = Rc::new(Import {
                        path: leaf.path.names().iter().map(|s| (*s).to_owned()).collect(),
                        absolute: leaf.path.absolute,
                        module: ctx.module,
                    });
                    if leaf.glob {
                        scope.globs.push(import);
                    } else if let Some(binding) = leaf.binding {
                        scope.bind_both(binding, Binding::Import(import));
                    }
                }
            }
            ItemKind::ExternCrate { name, alias } => {
                let krate = name.ident().unwrap_or("");
                let alias = alias.unwrap_or(krate);
                let real = self.extern_name(krate);
                if ctx.module == 0 && !ctx.block && alias != "_" {
                    self.extern_names
                        .borrow_mut()
                        .insert(alias.to_owned(), real.clone());
                }
                scope.bind(alias, Ns::Type, Binding::Extern(Rc::from(vec![real])));
            }
            ItemKind::ExternBlock(body) => {
                for (name, symbol, _) in foreign_functions(*body) {
                    let path: Rc<[String]> = Rc::from(vec![FOREIGN_CRATE.to_owned(), symbol]);
                    scope.bind(&name, Ns::Value, Binding::Extern(path));
                }
            }
            ItemKind::Mod { name, body } => {
                let name = name.ident().unwrap_or("");
                if ctx.block {
                    scope.bind(name, Ns::Type, Binding::Item);
                    return;
                }
                let cfg: Vec<Rc<str>> = item.cfg().map(Rc::from).collect();
                let child = match body {
                    Some(_) => {
                        let group = item.toks.get(item.head.len()).map(|n| n.id());
                        self.inline_module(ctx.module, name, item.path_attr(), cfg, group)
                    }
                    None => {
                        // Every `cfg_attr` path is the user's code on some platform.
                        let alternatives = item.cfg_attr_paths();
                        let mut child = None;
                        for path in alternatives.iter().map(|p| Some(p.as_str())) {
                            let module = self.file_module(ctx.module, name, path, cfg.clone());
                            child = child.or(module);
                        }
                        child.or_else(|| self.file_module(ctx.module, name, item.path_attr(), cfg))
                    }
                };
                let binding = child.map_or(Binding::Item, Binding::Module);
                scope.bind(name, Ns::Type, binding);
            }
            ItemKind::Fn { name, body, .. } => {
                if let Some(name) = name.and_then(|n| n.ident()) {
                    scope.bind(name, Ns::Value, Binding::Item);
                }
                // `fn imp() -> i32 { include!("imp.rs") }`: the check reads the file when it
                // walks the body; the module must be checked for that.
                if !ctx.block {
                    let targets = body.map(includes_within).unwrap_or_default();
                    for arg in targets {
                        if let Some(included) = self.include(ctx.file, include_target(&arg)) {
                            scope.includes.push(included);
                        }
                    }
                }
            }
            ItemKind::Impl { name, .. } => {
                if let Some(name) = name.and_then(|n| n.ident()) {
                    scope.bind(name, Ns::Type, Binding::Item);
                }
            }
            ItemKind::Decl { name, ns } => {
                if let Some(name) = name.ident().filter(|n| *n != "_") {
                    scope.bind(name, *ns, Binding::Item);
                }
            }
            ItemKind::MacroCall { args } if ctx.nesting < MAX_NESTING && self.may_nest() => {
                // `cfg_if! { if #[cfg(unix)] { mod sys; } else { … } }`, `thread_local! { … }`:
                // the tokens are the user's items, in every branch.
                self.binding.borrow_mut().push(ctx.file);
                ctx.nesting += 1;
                self.bind_items(*args, ctx, scope);
                for node in args.iter() {
                    if let Some((Delim::Brace, inner)) = node.group() {
                        self.bind_items(inner, ctx, scope);
                    }
                }
                ctx.nesting -= 1;
                self.binding.borrow_mut().pop();
            }
            ItemKind::Include { arg } if ctx.nesting < MAX_NESTING => {
                self.bind_include(arg.and_then(|a| include_target(&a)), ctx, scope);
            }
            ItemKind::MacroRules { body: Some(body) } if ctx.nesting < MAX_NESTING => {
                // `macro_rules! platform { () => { include!("unix.rs"); } }`: the included
                // file is the user's code wherever the macro is invoked.
                for arg in includes_within(*body) {
                    self.bind_include(include_target(&arg), ctx, scope);
                }
            }
            _ => {}
        }
    }

    /// Binds the items of the file `include!` names into `scope`, as part of the module.
    fn bind_include(&self, target: Option<String>, ctx: &mut Ctx, scope: &mut Scope) {
        let Some(included) = self.include(ctx.file, target) else {
            return;
        };
        if !ctx.block {
            // A second include of one file into one module binds nothing new (rustc reports
            // the duplicate items).
            if !self.bound.borrow_mut().insert((ctx.module, included)) {
                return;
            }
            scope.includes.push(included);
        }
        let Some(file) = self.store.file(included) else {
            return;
        };
        let left = self.includes_left.get();
        if left == 0 || !self.may_nest() || self.binding.borrow().contains(&included) {
            return;
        }
        self.includes_left.set(left - 1);
        self.binding.borrow_mut().push(included);
        let saved = ctx.file;
        ctx.file = included;
        ctx.nesting += 1;
        self.bind_items(file.lexed().top(), ctx, scope);
        ctx.nesting -= 1;
        ctx.file = saved;
        self.binding.borrow_mut().pop();
    }

    /// Reads the file `include!("…")` names (relative to `from`'s directory).
    pub(crate) fn include(&self, from: FileId, relative: Option<String>) -> Option<FileId> {
        let relative = relative?;
        let dir = self.store.file(from)?.path.parent()?.to_path_buf();
        let path = normalize(&dir.join(relative));
        let id = match self.store.load(&path) {
            Load::New(id) | Load::Seen(id) => id,
            Load::Missing => return None,
        };
        if let Some(file) = self.store.file(id) {
            file.included.set(true);
        }
        Some(id)
    }

    fn new_module(
        &self,
        parent: ModId,
        file: FileId,
        group: Option<u32>,
        child_dir: PathBuf,
        inline: bool,
        cfg: Vec<Rc<str>>,
    ) -> Option<ModId> {
        let p = self.module(parent)?;
        let depth = p.depth + 1;
        if depth > MAX_MODULE_DEPTH || self.module_count() >= MAX_MODULES {
            return None;
        }
        let mut all_cfg = p.cfg.clone();
        all_cfg.extend(cfg);
        Some(self.push_module(Module {
            parent: Some(parent),
            file,
            group,
            cfg: all_cfg,
            child_dir,
            inline,
            depth,
            scope: OnceCell::new(),
            indexing: Cell::new(false),
        }))
    }

    fn inline_module(
        &self,
        parent: ModId,
        name: &str,
        path_attr: Option<&str>,
        cfg: Vec<Rc<str>>,
        group: Option<u32>,
    ) -> Option<ModId> {
        let p = self.module(parent)?;
        let child_dir = normalize(&p.child_dir.join(path_attr.unwrap_or(name)));
        let id = self.new_module(parent, p.file, group, child_dir, true, cfg)?;
        // Its file children must be found like any others.
        self.scope(id);
        Some(id)
    }

    fn file_module(
        &self,
        parent: ModId,
        name: &str,
        path_attr: Option<&str>,
        cfg: Vec<Rc<str>>,
    ) -> Option<ModId> {
        let p = self.module(parent)?;
        let candidates = match path_attr {
            Some(relative) => {
                let base = if p.inline {
                    p.child_dir.clone()
                } else {
                    self.store.file(p.file)?.path.parent()?.to_path_buf()
                };
                vec![normalize(&base.join(relative))]
            }
            None => vec![
                p.child_dir.join(format!("{name}.rs")),
                p.child_dir.join(name).join("mod.rs"),
            ],
        };
        let (path, file) =
            candidates
                .into_iter()
                .find_map(|path| match self.store.load(&path) {
                    Load::New(id) => Some((path, id)),
                    // Seen: a `#[path]` cycle or a second name for a walked file; walked once.
                    Load::Seen(_) | Load::Missing => None,
                })?;
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let mod_rs = path_attr.is_some() || path.file_name().is_some_and(|f| f == "mod.rs");
        let child_dir = if mod_rs { dir } else { dir.join(name) };
        let id = self.new_module(parent, file, None, child_dir, false, cfg)?;
        let hot = self.store.file(file).is_some_and(|f| f.hot.get());
        if hot || self.store.may_load_files(file) {
            self.scope(id);
        }
        Some(id)
    }
}

/// Where the index is while binding items.
struct Ctx {
    module: ModId,
    file: FileId,
    block: bool,
    nesting: usize,
}

/// The argument groups of every `include!(…)` inside `level`, at any depth (an explicit stack:
/// depth costs heap, not stack).
fn includes_within(level: Level<'_>) -> Vec<Node<'_>> {
    let mut found = Vec::new();
    let mut stack = vec![level];
    while let Some(level) = stack.pop() {
        for i in 0..level.len() {
            let Some(node) = level.get(i) else { continue };
            if let Some((_, inner)) = node.group() {
                stack.push(inner);
            } else if node.is_ident("include") && level.get(i + 1).is_some_and(|n| n.is_punct(b'!'))
            {
                if let Some(arg) = level.get(i + 2).filter(|n| n.group().is_some()) {
                    found.push(arg);
                }
            }
        }
    }
    found
}

/// The path string of `include!("…")`'s argument group.
pub(crate) fn include_target(arg: &crate::detect::syntax::lex::Node<'_>) -> Option<String> {
    let (_, inner) = arg.group()?;
    inner.get(0)?.string().map(|s| s.into_owned())
}

/// The functions an `extern { … }` block declares: `(name, linked symbol, byte offset)`.
pub(crate) fn foreign_functions(body: Level<'_>) -> Vec<(String, String, u32)> {
    let mut out = Vec::new();
    for item in items::items(body) {
        let ItemKind::Fn {
            name: Some(name), ..
        } = item.kind
        else {
            continue;
        };
        let Some(ident) = name.ident() else { continue };
        let symbol = item
            .attrs
            .iter()
            .find(|a| a.name == "link_name")
            .and_then(|a| a.value.as_deref())
            .unwrap_or(ident)
            .to_owned();
        out.push((ident.to_owned(), symbol, name.at()));
    }
    out
}
