//! The check proper: walks the tokens of every file the prefilter selected, tracks block scopes
//! (local items, `use`, `let` and parameters shadow), resolves every path and reports those that
//! name a banned API. Tokens inside macro invocations and `macro_rules!` bodies are checked like
//! any other code; `cfg` attributes travel with what they guard, onto the emitted error.

use super::catalogue::{self, Entry, Kind};
use super::heuristics::{self, Hint};
use super::lex::{Delim, Pos, Tree};
use super::resolve::{At, Binding, Import, Resolved, Scope};
use super::syntax::{self, Path, UseLeaf};
use super::walk::{foreign_functions, Crate, FileId, ModId};
use std::rc::Rc;

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Severity {
    /// A banned API: a compile error.
    Error,
    /// A heuristic: a warning.
    Warning,
}

/// One banned API (or heuristic match) in the source.
#[derive(Clone, Debug)]
pub(crate) struct Finding {
    pub severity: Severity,
    /// The API, canonical: `nix::unistd::fork`, or the heuristic's description.
    pub api: String,
    /// How it is written there, when that differs from `api` (a rename, a re-export).
    pub written: Option<String>,
    pub why: &'static str,
    pub instead: &'static str,
    pub file: FileId,
    pub pos: Pos,
    /// `cfg` predicates that guard it; the error carries them.
    pub cfg: Vec<Rc<str>>,
}

/// Deepest nesting of token groups and includes that is followed.
const MAX_DEPTH: usize = 256;

/// Checks every selected file of `krate`.
pub(crate) fn check(krate: &mut Crate<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    for module in 0..krate.modules.len() {
        let Some(m) = krate.modules.get(module) else {
            break;
        };
        if m.inline {
            continue; // checked as part of the file it is written in
        }
        let (file, cfg, includes) = (m.file, m.cfg.clone(), m.includes.clone());
        let hot = |krate: &Crate<'_>, file: FileId| krate.files.get(file).is_some_and(|f| f.hot);
        if !hot(krate, file) && !includes.iter().any(|&f| hot(krate, f)) {
            continue;
        }
        krate.ensure_indexed(module);
        let body = krate.modules.get(module).and_then(|m| m.body.clone());
        let mut checker = Checker {
            krate: &mut *krate,
            findings: &mut findings,
            file,
            module,
            scopes: Vec::new(),
            cfg,
            depth: 0,
        };
        if let Some(body) = body {
            checker.seq(&body);
        }
    }
    findings.sort_by_key(|f| (f.file, f.pos.line, f.pos.col));
    findings.dedup_by(|a, b| a.file == b.file && a.pos == b.pos && a.api == b.api);
    findings
}

/// The walk over one module's tokens.
struct Checker<'k, 's> {
    krate: &'k mut Crate<'s>,
    findings: &'k mut Vec<Finding>,
    file: FileId,
    module: ModId,
    scopes: Vec<Scope>,
    cfg: Vec<Rc<str>>,
    depth: usize,
}

impl Checker<'_, '_> {
    /// A sequence of tokens: items, statements or expressions.
    fn seq(&mut self, trees: &[Tree]) {
        if self.depth > MAX_DEPTH {
            return;
        }
        self.depth += 1;
        let mut i = 0;
        // `fn` seen: its parameters (the next parenthesis) and body (the next brace group).
        let mut function: Option<Vec<String>> = None;
        // `impl` or `trait` seen: the next brace group holds associated items.
        let mut associated = false;
        while let Some(tree) = trees.get(i) {
            if let Some(next) = self.attributes(trees, i) {
                i = next;
                continue;
            }
            match tree {
                Tree::Ident { name, .. } => match name.as_str() {
                    "use" => {
                        let (leaves, end) = syntax::use_tree(trees, i + 1);
                        for leaf in leaves {
                            self.use_leaf(leaf);
                        }
                        i = end;
                    }
                    "extern" => i = self.extern_item(trees, i),
                    "mod" => i = self.module_item(trees, i),
                    "macro_rules" if trees.get(i + 1).is_some_and(|t| t.is_punct('!')) => {
                        if let Some((_, body)) = trees.get(i + 3).and_then(Tree::group) {
                            self.block(body, Vec::new(), true);
                        }
                        i += 4;
                    }
                    "fn" => {
                        function = Some(Vec::new());
                        i += 2;
                    }
                    "impl" | "trait" => {
                        associated = true;
                        i += if name == "trait" { 2 } else { 1 };
                    }
                    "struct" | "enum" | "union" | "type" | "const" | "static" => {
                        let skip_mut = trees.get(i + 1).is_some_and(|t| t.is_ident("mut"));
                        i += if skip_mut { 3 } else { 2 };
                    }
                    "let" => {
                        let names = pattern_names(trees, i + 1);
                        if let Some(scope) = self.scopes.last_mut() {
                            for name in names {
                                scope.names.insert(name, Binding::Item);
                            }
                        }
                        i += 1;
                    }
                    "include" if trees.get(i + 1).is_some_and(|t| t.is_punct('!')) => {
                        if let Some(included) = self.krate.include_in(self.file, trees.get(i + 2)) {
                            self.included(included);
                        }
                        i += 3;
                    }
                    word if syntax::is_keyword(word)
                        && !matches!(word, "self" | "super" | "crate") =>
                    {
                        i += 1
                    }
                    _ => i = self.path(trees, i),
                },
                Tree::Punct { ch: '.', .. } => {
                    let range = i > 0 && trees.get(i - 1).is_some_and(|t| t.is_punct('.'));
                    if !range && trees.get(i + 1).and_then(Tree::ident).is_some() {
                        if let Some(hint) = heuristics::pid_open(trees, i + 1) {
                            self.hint(hint);
                        }
                        i += 2; // a method or field: never a path
                    } else {
                        i += 1;
                    }
                }
                Tree::Punct { ch: '$', .. } => {
                    if trees.get(i + 1).is_some_and(|t| t.is_ident("crate")) {
                        i = self.path(trees, i);
                    } else {
                        i += 2; // a macro metavariable
                    }
                }
                Tree::Punct { ch: ':', .. } if syntax::colons_at(trees, i) => {
                    i = self.path(trees, i)
                }
                Tree::Punct { ch: '|', joint, .. } => {
                    if *joint && trees.get(i + 1).is_some_and(|t| t.is_punct('|')) {
                        i += 2;
                    } else {
                        i = self.closure_params(trees, i);
                    }
                }
                Tree::Group {
                    delim, children, ..
                } => {
                    match (delim, &mut function) {
                        (Delim::Paren, Some(params)) if params.is_empty() => {
                            *params = parameter_names(children);
                            params.push(String::new()); // parameters seen, even if none
                            self.seq(children);
                        }
                        (Delim::Brace, Some(params)) => {
                            let params = std::mem::take(params);
                            function = None;
                            self.block(children, params, false);
                        }
                        (Delim::Brace, None) if associated => {
                            associated = false;
                            self.scopes.push(Scope::default());
                            self.seq(children);
                            self.scopes.pop();
                        }
                        (Delim::Brace, None) => self.block(children, Vec::new(), false),
                        _ => self.seq(children),
                    }
                    i += 1;
                }
                _ => {
                    if tree.is_punct(';') {
                        function = None;
                        associated = false;
                    }
                    i += 1;
                }
            }
        }
        self.depth -= 1;
    }

    /// Attributes at `i`: a `cfg` guards the item or statement that follows, which is checked
    /// here with the predicate; returns the index to go on from, or `None` if `i` is no attribute.
    fn attributes(&mut self, trees: &[Tree], i: usize) -> Option<usize> {
        let (mut attr, mut next) = syntax::attr_at(trees, i)?;
        let mut cfg = Vec::new();
        loop {
            if attr.name == "cfg" {
                cfg.extend(attr.args.clone());
            }
            match syntax::attr_at(trees, next) {
                Some((more, after)) => {
                    attr = more;
                    next = after;
                }
                None => break,
            }
        }
        if cfg.is_empty() || next >= trees.len() {
            return Some(next);
        }
        let end = syntax::item_end(trees, next).max(next + 1).min(trees.len());
        let saved = self.cfg.len();
        self.cfg.extend(cfg);
        self.seq(trees.get(next..end).unwrap_or(&[]));
        self.cfg.truncate(saved);
        Some(end)
    }

    /// A block: its items and `use`s are visible throughout it; `params` are bound too.
    fn block(&mut self, trees: &[Tree], params: Vec<String>, macro_body: bool) {
        let mut scope = if macro_body {
            Scope::default()
        } else {
            self.krate.index(self.module, self.file, trees, true)
        };
        for param in params.into_iter().filter(|p| !p.is_empty()) {
            scope.names.insert(param, Binding::Item);
        }
        self.scopes.push(scope);
        self.seq(trees);
        self.scopes.pop();
    }

    /// One leaf of a `use` tree: reported when it imports a banned API; bound in a block.
    fn use_leaf(&mut self, leaf: UseLeaf) {
        let names = leaf.path.names();
        let at = At {
            module: self.module,
            scopes: &self.scopes,
        };
        let resolved = self.krate.resolve(&at, leaf.path.absolute, &names, true);
        if let Resolved::External {
            path,
            reported: false,
        } = &resolved
        {
            if let Some(entry) = catalogue::lookup(path).filter(|e| e.kind == Kind::Any) {
                let pos = leaf.path.segs.last().map_or_else(Pos::default, |s| s.pos);
                self.report(entry, path, &leaf.path, pos);
            }
        }
        if let Some(scope) = self.scopes.last_mut() {
            let import = Import {
                path: names,
                absolute: leaf.path.absolute,
                module: self.module,
            };
            // Block-level `use`s were bound when the block was entered; this adds those
            // written where that indexing does not look (inside a macro_rules! body).
            if leaf.glob {
                if !scope.globs.iter().any(|g| g.path == import.path) {
                    scope.globs.push(import);
                }
            } else if let Some(binding) = leaf.binding {
                if !scope.names.contains_key(&binding) {
                    scope.bind(binding, Binding::Import(import));
                }
            }
        }
    }

    /// `extern crate x;` or an `extern { … }` block at `i`; returns the index after it.
    fn extern_item(&mut self, trees: &[Tree], i: usize) -> usize {
        if trees.get(i + 1).is_some_and(|t| t.is_ident("crate")) {
            if let Some(Tree::Ident { name, pos }) = trees.get(i + 2) {
                let path = Path {
                    absolute: false,
                    segs: vec![syntax::Seg {
                        name: name.clone(),
                        pos: *pos,
                    }],
                };
                let resolved = self.krate.resolve(
                    &At {
                        module: 0,
                        scopes: &[],
                    },
                    true,
                    &path.names(),
                    true,
                );
                if let Resolved::External { path: full, .. } = &resolved {
                    if let Some(entry) = catalogue::lookup(full).filter(|e| e.kind == Kind::Any) {
                        self.report(entry, full, &path, *pos);
                    }
                }
            }
            return syntax::item_end(trees, i).max(i + 1);
        }
        let mut j = i + 1;
        if matches!(trees.get(j), Some(Tree::Lit { .. })) {
            j += 1;
        }
        let Some((Delim::Brace, children)) = trees.get(j).and_then(Tree::group) else {
            return i + 1;
        };
        for (name, symbol, pos) in foreign_functions(children) {
            if let Some(entry) = catalogue::foreign_symbol(&symbol).filter(|e| e.kind == Kind::Any)
            {
                let api = [catalogue::FOREIGN_CRATE, symbol.as_str()];
                let written = if name == symbol {
                    format!("extern {{ fn {name} }}")
                } else {
                    format!("extern {{ #[link_name = \"{symbol}\"] fn {name} }}")
                };
                self.push(Severity::Error, entry, api.join("::"), Some(written), pos);
            }
            if let Some(scope) = self.scopes.last_mut() {
                scope.bind(
                    name,
                    Binding::Extern(vec![catalogue::FOREIGN_CRATE.to_owned(), symbol]),
                );
            }
        }
        j + 1
    }

    /// `mod x;` (skipped: its file is checked on its own) or `mod x { … }` at `i`.
    fn module_item(&mut self, trees: &[Tree], i: usize) -> usize {
        let name = trees.get(i + 1).and_then(Tree::ident).unwrap_or("");
        let Some((Delim::Brace, body)) = trees.get(i + 2).and_then(Tree::group) else {
            return i + 2;
        };
        let child =
            match self.scopes.is_empty() {
                true => self.krate.modules.get(self.module).and_then(|m| {
                    match m.scope.names.get(name) {
                        Some(Binding::Module(child)) => Some(*child),
                        _ => None,
                    }
                }),
                false => None,
            };
        match child {
            Some(child) => {
                let saved_module = std::mem::replace(&mut self.module, child);
                let saved_scopes = std::mem::take(&mut self.scopes);
                self.seq(body);
                self.module = saved_module;
                self.scopes = saved_scopes;
            }
            None => self.block(body, Vec::new(), false),
        }
        i + 3
    }

    /// Checks an `include!`d file as part of the current module.
    fn included(&mut self, file: FileId) {
        if self.depth > MAX_DEPTH / 2 {
            return;
        }
        let trees = self.krate.trees(file);
        let saved = std::mem::replace(&mut self.file, file);
        self.depth += 8;
        self.seq(&trees);
        self.depth -= 8;
        self.file = saved;
    }

    /// `|a, (b, c)|`: closure parameters, bound in the innermost block.
    fn closure_params(&mut self, trees: &[Tree], i: usize) -> usize {
        let opens_closure = match i.checked_sub(1).and_then(|p| trees.get(p)) {
            None => true,
            Some(Tree::Punct { ch, .. }) => matches!(ch, '=' | ',' | '(' | ';' | '>'),
            Some(Tree::Ident { name, .. }) => matches!(name.as_str(), "move" | "return" | "async"),
            _ => false,
        };
        if !opens_closure {
            return i + 1;
        }
        let Some(close) = trees.iter().skip(i + 1).position(|t| t.is_punct('|')) else {
            return i + 1;
        };
        let params = trees.get(i + 1..i + 1 + close).unwrap_or(&[]);
        let names = pattern_names(params, 0);
        if let Some(scope) = self.scopes.last_mut() {
            for name in names {
                scope.names.insert(name, Binding::Item);
            }
        }
        i + 1
    }

    /// A path at `i`: resolved, and reported when it names a banned API.
    fn path(&mut self, trees: &[Tree], i: usize) -> usize {
        let Some((path, next)) = syntax::path_at(trees, i) else {
            return i + 1;
        };
        let after = trees.get(next);
        let single = path.segs.len() == 1 && !path.absolute;
        let is_macro = matches!(after, Some(Tree::Punct { ch: '!', joint, .. }) if !joint || !trees.get(next + 1).is_some_and(|t| t.is_punct('=')));
        let named = match after {
            Some(Tree::Punct { ch: ':', .. }) => !syntax::colons_at(trees, next),
            Some(Tree::Punct { ch: '=', joint, .. }) => !joint,
            _ => false,
        };
        if single && (named || is_macro) {
            return next;
        }
        if let Some(hint) =
            heuristics::command(&path, after).or_else(|| heuristics::pid_write(&path, after))
        {
            self.hint(hint);
        }
        let at = At {
            module: self.module,
            scopes: &self.scopes,
        };
        let resolved = self.krate.resolve(&at, path.absolute, &path.names(), false);
        let Resolved::External {
            path: full,
            reported,
        } = resolved
        else {
            return next;
        };
        let Some(entry) = catalogue::lookup(&full) else {
            return next;
        };
        let pos = path.segs.first().map_or_else(Pos::default, |s| s.pos);
        match entry.kind {
            Kind::Any if !reported => self.report(entry, &full, &path, pos),
            Kind::DupOnto { arg } if !is_macro => {
                let onto_std = after
                    .and_then(Tree::group)
                    .filter(|(delim, _)| *delim == Delim::Paren)
                    .and_then(|(_, args)| {
                        syntax::arguments(args)
                            .get(arg)
                            .map(|a| names_std_stream(a))
                    })
                    .unwrap_or(false);
                if onto_std {
                    self.report(entry, &full, &path, pos);
                }
            }
            _ => {}
        }
        next
    }

    fn report(&mut self, entry: &'static Entry, full: &[String], written: &Path, pos: Pos) {
        let api = full.join("::");
        let shown = written.display();
        let written = (shown != api).then_some(shown);
        self.push(Severity::Error, entry, api, written, pos);
    }

    fn hint(&mut self, hint: Hint) {
        let (why, instead) = if hint.pid_file {
            (heuristics::WHY_PID, heuristics::INSTEAD_PID)
        } else {
            (heuristics::WHY_COMMAND, heuristics::INSTEAD_COMMAND)
        };
        self.findings.push(Finding {
            severity: Severity::Warning,
            api: hint.what,
            written: None,
            why,
            instead,
            file: self.file,
            pos: hint.pos,
            cfg: self.cfg.clone(),
        });
    }

    fn push(
        &mut self,
        severity: Severity,
        entry: &'static Entry,
        api: String,
        written: Option<String>,
        pos: Pos,
    ) {
        self.findings.push(Finding {
            severity,
            api,
            written,
            why: entry.why,
            instead: entry.instead,
            file: self.file,
            pos,
            cfg: self.cfg.clone(),
        });
    }
}

/// Whether an argument names stdout or stderr: `1`, `2`, `STDOUT_FILENO`, `io::stderr().as_raw_fd()`,
/// a variable called `stdout_fd`…
fn names_std_stream(arg: &[Tree]) -> bool {
    if let Some(Tree::Lit {
        number: Some(n), ..
    }) = arg.first()
    {
        let alone = arg.len() == 1 || arg.get(1).is_some_and(|t| t.is_ident("as"));
        if alone && (*n == 1 || *n == 2) {
            return true;
        }
    }
    arg.iter().any(|tree| match tree {
        Tree::Ident { name, .. } => {
            let lower = name.to_ascii_lowercase();
            lower.contains("stdout") || lower.contains("stderr")
        }
        Tree::Group { children, .. } => names_std_stream_inner(children),
        _ => false,
    })
}

fn names_std_stream_inner(trees: &[Tree]) -> bool {
    trees.iter().any(|tree| match tree {
        Tree::Ident { name, .. } => {
            let lower = name.to_ascii_lowercase();
            lower.contains("stdout") || lower.contains("stderr")
        }
        Tree::Group { children, .. } => names_std_stream_inner(children),
        _ => false,
    })
}

/// The names a pattern binds, from `trees[start..]` up to its `=`, `;`, `:` or `in` (at the top
/// level; inside a group, `field: binding` binds `binding`).
fn pattern_names(trees: &[Tree], start: usize) -> Vec<String> {
    pattern_names_in(trees, start, true, 0)
}

fn pattern_names_in(trees: &[Tree], start: usize, top: bool, depth: usize) -> Vec<String> {
    let mut names = Vec::new();
    if depth > 32 {
        return names;
    }
    let mut i = start;
    while let Some(tree) = trees.get(i) {
        let colons = syntax::colons_at(trees, i) || (i > 0 && syntax::colons_at(trees, i - 1));
        match tree {
            Tree::Punct { ch: '=' | ';', .. } if top => break,
            Tree::Punct { ch: ':', .. } if top && !colons => break,
            Tree::Ident { name, .. } if top && (name == "in" || name == "else") => break,
            Tree::Ident { name, .. } => {
                let next = i + 1;
                let constructor = trees
                    .get(next)
                    .is_some_and(|t| t.group().is_some() || syntax::colons_at(trees, next));
                let field = trees.get(next).is_some_and(|t| t.is_punct(':'))
                    && !syntax::colons_at(trees, next);
                let qualified = i >= 2 && syntax::colons_at(trees, i - 2);
                if !syntax::is_keyword(name) && !constructor && !qualified && !field {
                    names.push(name.clone());
                }
            }
            Tree::Group { children, .. } => {
                names.extend(pattern_names_in(children, 0, false, depth + 1))
            }
            _ => {}
        }
        i += 1;
    }
    names
}

/// The names a `fn`'s parameter list binds (`self` excluded).
fn parameter_names(trees: &[Tree]) -> Vec<String> {
    syntax::arguments(trees)
        .into_iter()
        .flat_map(|param| pattern_names(param, 0))
        .filter(|name| name != "self")
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::prefilter::Prefilter;
    use super::super::walk::tests::Memory;
    use super::*;
    use std::collections::HashMap;

    /// The findings in a one-file crate, as `line:col api`.
    pub(crate) fn findings(main: &str) -> Vec<String> {
        findings_in(&[("/c/src/main.rs", main)])
    }

    pub(crate) fn findings_in(files: &[(&str, &str)]) -> Vec<String> {
        let memory = Memory::new(files);
        let words = catalogue::words();
        let mut krate = Crate::walk(
            std::path::Path::new("/c/src/main.rs"),
            &memory,
            Prefilter::new(words.iter().copied().chain(["bg"])),
            HashMap::from([("bg".to_owned(), "daemonize".to_owned())]),
        )
        .expect("root");
        check(&mut krate)
            .iter()
            .map(|f| {
                let file = krate
                    .files
                    .get(f.file)
                    .map(|s| s.path.display().to_string())
                    .unwrap_or_default();
                let file = file.trim_start_matches("/c/src/");
                let kind = if f.severity == Severity::Warning {
                    "warn "
                } else {
                    ""
                };
                let cfg = if f.cfg.is_empty() {
                    String::new()
                } else {
                    format!(" cfg({})", f.cfg.join(","))
                };
                format!("{kind}{file}:{}:{} {}{cfg}", f.pos.line, f.pos.col, f.api)
            })
            .collect()
    }

    #[test]
    fn direct_calls_and_absolute_paths() {
        assert_eq!(
            findings(
                "fn main() { unsafe { libc::fork(); ::libc::setsid(); nix::libc::vfork(); } }"
            ),
            [
                "main.rs:1:22 libc::fork",
                "main.rs:1:38 libc::setsid",
                "main.rs:1:54 libc::vfork"
            ]
        );
    }

    #[test]
    fn imports_are_reported_once() {
        assert_eq!(
            findings("use nix::unistd::{fork as spawn, ForkResult};\nfn main() { match unsafe { spawn() } { Ok(ForkResult::Child) => {} _ => {} } }"),
            ["main.rs:1:19 nix::unistd::fork", "main.rs:1:34 nix::unistd::ForkResult"]
        );
    }

    #[test]
    fn user_items_are_not_banned() {
        let text = r#"
            use libc::*;
            fn fork() -> i32 { 0 }
            mod daemonize { pub fn start() {} }
            mod nix { pub mod unistd { pub fn setsid() {} } }
            struct S { fork: bool, daemon: u8 }
            impl S { fn setsid(&self) {} fn daemon(&self) -> u8 { self.daemon } }
            fn main() {
                fork(); daemonize::start(); nix::unistd::setsid();
                let s = S { fork: true, daemon: 1 };
                s.setsid(); let _ = s.fork; s.daemon();
                let setsid = 3; let _ = setsid + 1;
                let _ = "libc::fork()"; // libc::fork()
                /// libc::daemon
                let v = vec![1].iter().map(|vfork| vfork + 1).count();
            }
        "#;
        assert_eq!(findings(text), Vec::<String>::new());
    }

    #[test]
    fn globs_function_local_use_and_pointers() {
        let text = r#"
            fn main() {
                use nix::unistd::*;
                let _ = setsid();
            }
            fn other() { let f: unsafe extern "C" fn() -> i32 = libc::fork; }
        "#;
        assert_eq!(
            findings(text),
            [
                "main.rs:4:25 nix::unistd::setsid",
                "main.rs:6:65 libc::fork"
            ]
        );
    }

    #[test]
    fn extern_blocks_and_link_names() {
        let text = "extern \"C\" { fn fork() -> i32; #[link_name = \"daemon\"] fn quiet(a: i32, b: i32) -> i32; fn getpid() -> i32; }\nfn main() { unsafe { fork(); getpid(); } }";
        assert_eq!(
            findings(text),
            ["main.rs:1:17 libc::fork", "main.rs:1:59 libc::daemon"]
        );
    }

    #[test]
    fn dup2_only_onto_stdout_and_stderr() {
        let text = r#"
            use std::os::fd::AsRawFd;
            fn main() {
                unsafe {
                    libc::dup2(fd, 1);
                    libc::dup2(fd, libc::STDERR_FILENO);
                    libc::dup2(fd, std::io::stdout().as_raw_fd());
                    libc::dup2(fd, 3);
                    libc::dup2(1, fd);
                    nix::unistd::dup2_stderr(&file);
                }
            }
        "#;
        assert_eq!(
            findings(text),
            [
                "main.rs:5:21 libc::dup2",
                "main.rs:6:21 libc::dup2",
                "main.rs:7:21 libc::dup2",
                "main.rs:10:21 nix::unistd::dup2_stderr"
            ]
        );
    }

    #[test]
    fn macros_and_cfg() {
        let text = r#"
            macro_rules! boot { () => { $crate::x(); daemonize::Daemonize::new() }; }
            #[cfg(target_os = "linux")]
            fn f() { println!("{}", unsafe { libc::fork() }); }
            #[cfg(test)]
            mod tests { fn t() { unsafe { libc::daemon(0, 0); } } }
        "#;
        assert_eq!(
            findings(text),
            [
                "main.rs:2:54 daemonize::Daemonize::new",
                "main.rs:4:46 libc::fork cfg(target_os = \"linux\")",
                "main.rs:6:43 libc::daemon cfg(test)"
            ]
        );
    }

    #[test]
    fn renames_and_multi_file_reexports() {
        let files = [
            (
                "/c/src/main.rs",
                "extern crate libc as sys;\nmod a;\nmod b;\nfn main() { bg::Daemonize::new(); }",
            ),
            ("/c/src/a.rs", "pub use nix::unistd;\n"),
            (
                "/c/src/b.rs",
                "pub fn go() { crate::a::unistd::fork(); unsafe { sys::setsid(); } }",
            ),
        ];
        assert_eq!(
            findings_in(&files),
            [
                "main.rs:4:13 daemonize::Daemonize::new",
                "b.rs:1:15 nix::unistd::fork",
                "b.rs:1:50 libc::setsid"
            ]
        );
    }

    #[test]
    fn heuristics_are_warnings() {
        let text = r#"
            fn main() {
                std::process::Command::new("nohup").arg("x").spawn();
                std::fs::write("/var/run/app.pid", std::process::id().to_string());
                std::process::Command::new("ls").spawn();
                let _ = std::fs::read_to_string("/run/nginx.pid");
            }
        "#;
        assert_eq!(
            findings(text),
            [
                "warn main.rs:3:44 `Command::new(\"nohup\")`",
                "warn main.rs:4:32 a PID file written at \"/var/run/app.pid\""
            ]
        );
    }

    #[test]
    fn let_patterns_shadow() {
        let text = "use libc::*;\nfn main() { let Config { fork: daemon } = c; let (setsid, _) = p; daemon(); setsid(); }";
        assert_eq!(findings(text), Vec::<String>::new());
    }

    #[test]
    fn raw_identifiers_and_crate_renames() {
        let text = "use fork::{daemon, Fork};\nfn main() { unsafe { libc::r#fork(); } }";
        assert_eq!(
            findings(text),
            [
                "main.rs:1:12 fork::daemon",
                "main.rs:1:20 fork::Fork",
                "main.rs:2:22 libc::fork"
            ]
        );
    }
}

#[cfg(test)]
mod cost {
    use super::super::prefilter::Prefilter;
    use super::super::walk::{Crate, Disk};
    use super::*;

    /// The detector's own cost on a crate on disk (the edit-check benchmark's, for example):
    /// `TWELVE_FACTOR_SCAN_ROOT=…/src/main.rs cargo test -p twelvefactor-macros scan_cost -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn scan_cost() {
        let Some(root) = std::env::var_os("TWELVE_FACTOR_SCAN_ROOT") else {
            return;
        };
        for _ in 0..5 {
            let start = std::time::Instant::now();
            let prefilter = Prefilter::new(catalogue::words());
            let mut krate = Crate::walk(
                std::path::Path::new(&root),
                &Disk,
                prefilter,
                Default::default(),
            )
            .expect("root readable");
            let findings = check(&mut krate);
            let lexed = krate.files.iter().filter(|f| f.trees.is_some()).count();
            eprintln!(
                "{} files, {lexed} lexed, {} findings: {:?}",
                krate.files.len(),
                findings.len(),
                start.elapsed()
            );
        }
    }
}
