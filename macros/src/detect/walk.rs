//! The crate walk: from the file `#[twelve_factor::main]` stands in, every module file (`mod x;`
//! in both layouts, `#[path]` on file and inline modules, inline modules with file children) and
//! every `include!("…")`d file, with the names each module declares.
//!
//! Files are read in full but lexed only when needed: when the [prefilter](super::prefilter)
//! finds a banned word (the file must be checked), when the file may declare module files or
//! include files (the walk must follow them), or later, lazily, when resolving a path needs the
//! names a module declares ([`Crate::ensure_indexed`]).
//!
//! rustc tracks every file in the module tree and every `include!`d file for rebuilds, so a
//! change to any of them re-runs this macro. `include!` targets are still listed in
//! [`SourceFile::included`]: the expansion adds `include_bytes!` for them, which keeps the rebuild
//! right even where the `include!` sits in code that rustc does not expand (a `macro_rules!` body
//! that is never invoked, a `cfg`-disabled function).

use super::catalogue::FOREIGN_CRATE;
use super::lex::{self, Delim, Tree};
use super::prefilter::{self, Prefilter};
use super::resolve::{Binding, Import, Scope};
use super::syntax::{self, Attr};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// Index of a file in [`Crate::files`].
pub(crate) type FileId = usize;
/// Index of a module in [`Crate::modules`]; the crate root is 0.
pub(crate) type ModId = usize;

/// Bounds that keep a pathological crate from making the macro slow.
const MAX_FILES: usize = 20_000;
const MAX_DEPTH: usize = 64;

/// Where source text comes from: the disk in the macro, a map in unit tests.
pub(crate) trait Sources {
    /// The file's text, or `None` when it cannot be read (then it is skipped).
    fn read(&self, path: &Path) -> Option<String>;
}

/// Reads from the file system.
pub(crate) struct Disk;

impl Sources for Disk {
    fn read(&self, path: &Path) -> Option<String> {
        std::fs::read_to_string(path).ok()
    }
}

/// One source file of the crate.
pub(crate) struct SourceFile {
    pub path: PathBuf,
    pub text: String,
    /// The tokens, once lexed.
    pub trees: Option<Rc<[Tree]>>,
    /// The prefilter found a banned word: the file is checked.
    pub hot: bool,
    /// Read through `include!`.
    pub included: bool,
}

/// One module: a file module or an inline `mod x { … }`.
pub(crate) struct Module {
    pub parent: Option<ModId>,
    pub file: FileId,
    /// The module's items, once its file is lexed.
    pub body: Option<Rc<[Tree]>>,
    /// The names the module declares or imports.
    pub scope: Scope,
    /// The `cfg` predicates on this module and its ancestors.
    pub cfg: Vec<Rc<str>>,
    /// Files `include!`d at item level, checked as part of this module.
    pub includes: Vec<FileId>,
    /// Where `mod x;` inside this module looks for `x.rs` and `x/mod.rs`.
    child_dir: PathBuf,
    /// An inline module: `#[path]` inside it is relative to `child_dir`.
    pub inline: bool,
    indexed: bool,
    depth: usize,
}

/// The crate as far as it was read.
pub(crate) struct Crate<'s> {
    pub files: Vec<SourceFile>,
    pub modules: Vec<Module>,
    /// Names in the extern prelude that differ from the crate's library name: Cargo
    /// `package =` renames and `extern crate … as …` at the root.
    pub extern_names: HashMap<String, String>,
    /// Lookups left for the current resolution (guards against exponential glob chains).
    pub budget: usize,
    prefilter: Prefilter,
    sources: &'s dyn Sources,
    seen: HashSet<PathBuf>,
}

impl<'s> Crate<'s> {
    /// Walks the crate whose root file is `root`; `None` when it cannot be read.
    pub(crate) fn walk(
        root: &Path,
        sources: &'s dyn Sources,
        prefilter: Prefilter,
        extern_names: HashMap<String, String>,
    ) -> Option<Crate<'s>> {
        let mut krate = Crate {
            files: Vec::new(),
            modules: Vec::new(),
            extern_names,
            budget: 0,
            prefilter,
            sources,
            seen: HashSet::new(),
        };
        let text = sources.read(root)?;
        let file = krate.add_file(root.to_path_buf(), text)?;
        let child_dir = root.parent().map(Path::to_path_buf).unwrap_or_default();
        krate.modules.push(Module {
            parent: None,
            file,
            body: None,
            scope: Scope::default(),
            cfg: Vec::new(),
            includes: Vec::new(),
            child_dir,
            inline: false,
            indexed: false,
            depth: 0,
        });
        krate.ensure_indexed(0);
        Some(krate)
    }

    /// Registers a file (once per path).
    fn add_file(&mut self, path: PathBuf, text: String) -> Option<FileId> {
        if self.files.len() >= MAX_FILES || !self.seen.insert(path.clone()) {
            return None;
        }
        let hot = self.prefilter.matches(&text);
        self.files.push(SourceFile {
            path,
            text,
            trees: None,
            hot,
            included: false,
        });
        Some(self.files.len() - 1)
    }

    /// The file's tokens, lexing it on first use.
    pub(crate) fn trees(&mut self, file: FileId) -> Rc<[Tree]> {
        let Some(source) = self.files.get_mut(file) else {
            return Rc::from(Vec::new());
        };
        if let Some(trees) = &source.trees {
            return trees.clone();
        }
        let trees = lex::lex(&source.text);
        source.trees = Some(trees.clone());
        trees
    }

    /// Makes sure the module's names are known, lexing its file if that was not needed so far.
    pub(crate) fn ensure_indexed(&mut self, module: ModId) {
        let Some(m) = self.modules.get(module) else {
            return;
        };
        if m.indexed {
            return;
        }
        let (file, body) = (m.file, m.body.clone());
        let body = match body {
            Some(body) => body,
            None => self.trees(file),
        };
        if let Some(m) = self.modules.get_mut(module) {
            m.indexed = true;
            m.body = Some(body.clone());
        }
        let scope = self.index(module, file, &body, false);
        if let Some(m) = self.modules.get_mut(module) {
            m.scope = scope;
        }
    }

    /// The names declared by the items in `trees`: a module body, or (`block`) a block, where
    /// `mod x;` cannot appear and inline modules are plain items.
    pub(crate) fn index(
        &mut self,
        module: ModId,
        file: FileId,
        trees: &[Tree],
        block: bool,
    ) -> Scope {
        let mut scope = Scope::default();
        let mut attrs: Vec<Attr> = Vec::new();
        let mut i = 0;
        while i < trees.len() {
            if let Some((attr, next)) = syntax::attr_at(trees, i) {
                attrs.push(attr);
                i = next;
                continue;
            }
            let end = syntax::item_end(trees, i).max(i + 1);
            let item = trees.get(i..end).unwrap_or(&[]);
            self.index_item(item, &attrs, module, file, block, &mut scope, 0);
            attrs.clear();
            i = end;
        }
        scope
    }

    #[allow(clippy::too_many_arguments)]
    fn index_item(
        &mut self,
        item: &[Tree],
        attrs: &[Attr],
        module: ModId,
        file: FileId,
        block: bool,
        scope: &mut Scope,
        include_depth: usize,
    ) {
        let mut k = 0;
        while let Some(tree) = item.get(k) {
            match tree.ident() {
                Some("pub") => {
                    k += 1;
                    if matches!(item.get(k).and_then(Tree::group), Some((Delim::Paren, _))) {
                        k += 1;
                    }
                }
                Some("unsafe" | "async" | "default" | "safe") => k += 1,
                Some("const")
                    if item.get(k + 1).is_some_and(|t| {
                        t.is_ident("fn")
                            || t.is_ident("unsafe")
                            || t.is_ident("async")
                            || t.is_ident("extern")
                    }) =>
                {
                    k += 1
                }
                _ => break,
            }
        }
        let keyword = item.get(k).and_then(Tree::ident).unwrap_or("");
        let name = item.get(k + 1).and_then(Tree::ident).map(str::to_owned);
        match keyword {
            "use" => {
                let (leaves, _) = syntax::use_tree(item, k + 1);
                for leaf in leaves {
                    let import = Import {
                        path: leaf.path.names(),
                        absolute: leaf.path.absolute,
                        module,
                    };
                    if leaf.glob {
                        scope.globs.push(import);
                    } else if let Some(binding) = leaf.binding {
                        scope.bind(binding, Binding::Import(import));
                    }
                }
            }
            "extern" if item.get(k + 1).is_some_and(|t| t.is_ident("crate")) => {
                let Some(krate) = item.get(k + 2).and_then(Tree::ident) else {
                    return;
                };
                let alias = match item.get(k + 3) {
                    Some(t) if t.is_ident("as") => {
                        item.get(k + 4).and_then(Tree::ident).unwrap_or(krate)
                    }
                    _ => krate,
                };
                let real = self
                    .extern_names
                    .get(krate)
                    .cloned()
                    .unwrap_or_else(|| krate.to_owned());
                if module == 0 && !block && alias != "_" {
                    self.extern_names.insert(alias.to_owned(), real.clone());
                }
                scope.bind(alias.to_owned(), Binding::Extern(vec![real]));
            }
            "extern" => {
                let mut j = k + 1;
                if matches!(item.get(j), Some(Tree::Lit { .. })) {
                    j += 1;
                }
                if let Some((Delim::Brace, children)) = item.get(j).and_then(Tree::group) {
                    for (name, symbol, _) in foreign_functions(children) {
                        scope.bind(
                            name,
                            Binding::Extern(vec![FOREIGN_CRATE.to_owned(), symbol]),
                        );
                    }
                } else if item.get(j).is_some_and(|t| t.is_ident("fn")) {
                    if let Some(name) = item.get(j + 1).and_then(Tree::ident) {
                        scope.bind(name.to_owned(), Binding::Item);
                    }
                }
            }
            "mod" => {
                let Some(name) = name else { return };
                let inline = item.get(k + 2).and_then(Tree::group);
                if block {
                    scope.bind(name, Binding::Item);
                    return;
                }
                let path_attr = attrs
                    .iter()
                    .find(|a| a.name == "path")
                    .and_then(|a| a.value.clone());
                let cfg: Vec<Rc<str>> = attrs
                    .iter()
                    .filter(|a| a.name == "cfg")
                    .filter_map(|a| a.args.clone())
                    .collect();
                let child = match inline {
                    Some((Delim::Brace, body)) => {
                        self.inline_module(module, &name, path_attr, cfg, body.clone())
                    }
                    _ => self.file_module(module, &name, path_attr, cfg),
                };
                if let Some(child) = child {
                    scope.bind(name, Binding::Module(child));
                } else {
                    scope.bind(name, Binding::Item);
                }
            }
            "fn" | "struct" | "enum" | "union" | "trait" | "type" | "const" | "static" => {
                let name = match (keyword, name) {
                    ("static", Some(m)) if m == "mut" => {
                        item.get(k + 2).and_then(Tree::ident).map(str::to_owned)
                    }
                    (_, name) => name,
                };
                if let Some(name) = name.filter(|n| n != "_") {
                    scope.bind(name, Binding::Item);
                }
            }
            "include" if item.get(k + 1).is_some_and(|t| t.is_punct('!')) && include_depth < 8 => {
                let Some(included) = self.include_in(file, item.get(k + 2)) else {
                    return;
                };
                if !block {
                    if let Some(m) = self.modules.get_mut(module) {
                        m.includes.push(included);
                    }
                }
                let trees = self.trees(included);
                let mut i = 0;
                let mut attrs = Vec::new();
                while i < trees.len() {
                    if let Some((attr, next)) = syntax::attr_at(&trees, i) {
                        attrs.push(attr);
                        i = next;
                        continue;
                    }
                    let end = syntax::item_end(&trees, i).max(i + 1);
                    let sub = trees.get(i..end).unwrap_or(&[]);
                    self.index_item(
                        sub,
                        &attrs,
                        module,
                        included,
                        block,
                        scope,
                        include_depth + 1,
                    );
                    attrs.clear();
                    i = end;
                }
            }
            _ => {}
        }
    }

    /// Reads the file named by `include!("…")`'s argument group (relative to `from`'s directory).
    pub(crate) fn include_in(&mut self, from: FileId, args: Option<&Tree>) -> Option<FileId> {
        let (_, inner) = args?.group()?;
        let relative = inner.first()?.string()?;
        let dir = self.files.get(from)?.path.parent()?.to_path_buf();
        let path = normalize(&dir.join(relative));
        if let Some(existing) = self.files.iter().position(|f| f.path == path) {
            return Some(existing);
        }
        let text = self.sources.read(&path)?;
        let id = self.add_file(path, text)?;
        if let Some(file) = self.files.get_mut(id) {
            file.included = true;
        }
        Some(id)
    }

    fn new_module(
        &mut self,
        parent: ModId,
        file: FileId,
        child_dir: PathBuf,
        inline: bool,
        cfg: Vec<Rc<str>>,
    ) -> Option<ModId> {
        let p = self.modules.get(parent)?;
        let depth = p.depth + 1;
        if depth > MAX_DEPTH {
            return None;
        }
        let mut all_cfg = p.cfg.clone();
        all_cfg.extend(cfg);
        self.modules.push(Module {
            parent: Some(parent),
            file,
            body: None,
            scope: Scope::default(),
            cfg: all_cfg,
            includes: Vec::new(),
            child_dir,
            inline,
            indexed: false,
            depth,
        });
        Some(self.modules.len() - 1)
    }

    fn inline_module(
        &mut self,
        parent: ModId,
        name: &str,
        path_attr: Option<String>,
        cfg: Vec<Rc<str>>,
        body: Rc<[Tree]>,
    ) -> Option<ModId> {
        let p = self.modules.get(parent)?;
        let file = p.file;
        let child_dir = normalize(&p.child_dir.join(path_attr.as_deref().unwrap_or(name)));
        let id = self.new_module(parent, file, child_dir, true, cfg)?;
        if let Some(m) = self.modules.get_mut(id) {
            m.body = Some(body);
        }
        self.ensure_indexed(id);
        Some(id)
    }

    fn file_module(
        &mut self,
        parent: ModId,
        name: &str,
        path_attr: Option<String>,
        cfg: Vec<Rc<str>>,
    ) -> Option<ModId> {
        let p = self.modules.get(parent)?;
        let candidates = match &path_attr {
            Some(relative) => {
                let base = if p.inline {
                    p.child_dir.clone()
                } else {
                    self.files.get(p.file)?.path.parent()?.to_path_buf()
                };
                vec![normalize(&base.join(relative))]
            }
            None => vec![
                p.child_dir.join(format!("{name}.rs")),
                p.child_dir.join(name).join("mod.rs"),
            ],
        };
        let (path, text) = candidates
            .into_iter()
            .find_map(|path| self.sources.read(&path).map(|text| (path, text)))?;
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let mod_rs = path_attr.is_some() || path.file_name().is_some_and(|f| f == "mod.rs");
        let child_dir = if mod_rs { dir } else { dir.join(name) };
        let walk = prefilter::may_load_files(&text);
        let file = self.add_file(path, text)?;
        let id = self.new_module(parent, file, child_dir, false, cfg)?;
        let hot = self.files.get(file).is_some_and(|f| f.hot);
        if walk || hot {
            self.ensure_indexed(id);
        }
        Some(id)
    }
}

/// Removes `.` and `..` components without touching the file system (so that messages show
/// `tests/support/x.rs`, not `tests/ui/../support/x.rs`).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// The functions an `extern { … }` block declares: `(name, linked symbol, position)`.
pub(crate) fn foreign_functions(trees: &[Tree]) -> Vec<(String, String, lex::Pos)> {
    let mut out = Vec::new();
    let mut link_name: Option<String> = None;
    let mut i = 0;
    while i < trees.len() {
        if let Some((attr, next)) = syntax::attr_at(trees, i) {
            if attr.name == "link_name" {
                link_name = attr.value;
            }
            i = next;
            continue;
        }
        if let Some(tree) = trees.get(i).filter(|t| t.is_ident("fn")) {
            if let Some(name) = trees.get(i + 1).and_then(Tree::ident) {
                let symbol = link_name.take().unwrap_or_else(|| name.to_owned());
                out.push((
                    name.to_owned(),
                    symbol,
                    trees.get(i + 1).map_or(tree.pos(), Tree::pos),
                ));
            }
        }
        if trees.get(i).is_some_and(|t| t.is_punct(';')) {
            link_name = None;
        }
        i += 1;
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// An in-memory file system for tests.
    pub(crate) struct Memory(pub HashMap<PathBuf, String>);

    impl Memory {
        pub(crate) fn new(files: &[(&str, &str)]) -> Memory {
            Memory(
                files
                    .iter()
                    .map(|(p, t)| (PathBuf::from(p), (*t).to_owned()))
                    .collect(),
            )
        }
    }

    impl Sources for Memory {
        fn read(&self, path: &Path) -> Option<String> {
            self.0.get(path).cloned()
        }
    }

    fn module_files(files: &[(&str, &str)]) -> Vec<String> {
        let memory = Memory::new(files);
        let krate = Crate::walk(
            Path::new("/c/src/main.rs"),
            &memory,
            Prefilter::new(["fork"]),
            HashMap::new(),
        )
        .expect("root");
        let mut out: Vec<String> = krate
            .files
            .iter()
            .map(|f| f.path.display().to_string())
            .collect();
        out.sort();
        out
    }

    #[test]
    fn both_layouts_path_and_inline_children() {
        let files = module_files(&[
            ("/c/src/main.rs", "mod a; mod b; #[path = \"other/x.rs\"] mod x; mod inl { mod deep; #[path = \"p.rs\"] mod p; }"),
            ("/c/src/a.rs", "mod child;"),
            ("/c/src/a/child.rs", ""),
            ("/c/src/b/mod.rs", "mod c;"),
            ("/c/src/b/c.rs", ""),
            ("/c/src/other/x.rs", "mod sibling;"),
            ("/c/src/other/sibling.rs", ""),
            ("/c/src/inl/deep.rs", ""),
            ("/c/src/inl/p.rs", ""),
        ]);
        assert_eq!(
            files,
            [
                "/c/src/a.rs",
                "/c/src/a/child.rs",
                "/c/src/b/c.rs",
                "/c/src/b/mod.rs",
                "/c/src/inl/deep.rs",
                "/c/src/inl/p.rs",
                "/c/src/main.rs",
                "/c/src/other/sibling.rs",
                "/c/src/other/x.rs",
            ]
        );
    }

    #[test]
    fn non_mod_rs_inline_and_include() {
        let files = module_files(&[
            ("/c/src/main.rs", "mod a; include!(\"gen.rs\");"),
            ("/c/src/a.rs", "mod i { mod j; }"),
            ("/c/src/a/i/j.rs", ""),
            ("/c/src/gen.rs", "mod from_include;"),
            ("/c/src/from_include.rs", ""),
        ]);
        assert_eq!(
            files,
            [
                "/c/src/a.rs",
                "/c/src/a/i/j.rs",
                "/c/src/from_include.rs",
                "/c/src/gen.rs",
                "/c/src/main.rs"
            ]
        );
    }

    #[test]
    fn missing_and_cyclic_files_are_skipped() {
        let files = module_files(&[(
            "/c/src/main.rs",
            "mod gone; #[path = \"main.rs\"] mod again;",
        )]);
        assert_eq!(files, ["/c/src/main.rs"]);
    }
}
