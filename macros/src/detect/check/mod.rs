//! The check: walks the tokens of every file the prefilter selected, item by item through
//! [`items::items`], tracks block scopes (local items, `use`, `let` and parameters shadow), asks
//! the [resolver](crate::detect::names::resolve) what each path names and the [`catalogue`]
//! whether that is banned. It never changes the crate: it takes `&Crate`.
//!
//! Tokens inside macro invocations and `macro_rules!` bodies are checked like any other code;
//! `cfg` attributes travel with what they guard, onto the emitted error. Nesting deeper than
//! [`MAX_DEPTH`] is still read, by a flat loop that keeps no scopes, so depth costs heap only.

use crate::detect::names::index::{foreign_functions, include_target, Binding, Crate, ModId};
use crate::detect::names::resolve::{At, Block, Resolver, Target};
use crate::detect::rules::catalogue::{self, Rule};
use crate::detect::rules::{loggers, panic_hooks, signals};
use crate::detect::source::prefilter::Prefilter;
use crate::detect::source::store::FileId;
use crate::detect::syntax::items::{self, Item, ItemKind};
use crate::detect::syntax::lex::{Delim, Kind, Level, Node};
use crate::detect::syntax::paths::{self, parameter_names, pattern_names};
use crate::detect::syntax::tokens;
use finding::Finding;
use heuristics::{Consts, StdNames};
use std::collections::HashSet;
use std::path::PathBuf;
use std::rc::Rc;

mod calls;
mod cures;
mod effects;
pub(crate) mod finding;
mod heuristics;

/// Deepest nesting of blocks and groups walked with scopes.
const MAX_DEPTH: usize = 128;

/// Checks every selected module of `krate`.
/// `loggers`: whether global logger installers are findings (the attribute's `log` is not off).
pub(crate) fn check<'c, 's>(
    krate: &'c Crate<'s>,
    resolver: &Resolver<'c, 's>,
    loggers: bool,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut effects = effects::Effects::default();
    let mut checked = HashSet::new();
    round(
        krate,
        resolver,
        loggers,
        &mut findings,
        &mut effects,
        &mut checked,
    );
    // The crate's wrappers of `dup2` make the files that call them worth checking.
    let wrappers = effects.wrapper_names();
    if !wrappers.is_empty() {
        let prefilter = Prefilter::new(wrappers.iter().map(String::as_str));
        for id in 0..krate.store.len() {
            krate.store.rescan(id, &prefilter, &wrappers);
        }
        round(
            krate,
            resolver,
            loggers,
            &mut findings,
            &mut effects,
            &mut checked,
        );
    }
    effects.finish(&mut findings);
    // Crate-wide cures: a server handed the signals, a panic hook taken to be chained.
    for (rule, cures) in [
        (Rule::OwnSignals, signals::CURES),
        (Rule::PanicHook, panic_hooks::CURES),
    ] {
        let found = findings.iter().any(|f| f.entry.rule == rule);
        if found && krate.store.any_text(|text| cures::calls_any(text, cures)) {
            findings.retain(|f| f.entry.rule != rule);
        }
    }
    let mut order: Vec<PathBuf> = Vec::new();
    for finding in &findings {
        if !order.contains(&finding.file) {
            order.push(finding.file.clone());
        }
    }
    findings.sort_by_key(|f| (order.iter().position(|p| *p == f.file), f.pos));
    findings.dedup_by(|a, b| a.file == b.file && a.pos == b.pos && a.title == b.title);
    findings
}

/// Checks every hot module not `checked` yet.
fn round<'c, 's>(
    krate: &'c Crate<'s>,
    resolver: &Resolver<'c, 's>,
    loggers: bool,
    findings: &mut Vec<Finding>,
    effects: &mut effects::Effects,
    checked: &mut HashSet<ModId>,
) {
    let mut id = 0;
    while id < krate.module_count() {
        let module = id;
        id += 1;
        let Some(m) = krate.module(module) else { break };
        if m.inline {
            continue; // checked as part of the file it is written in
        }
        let hot = |file: FileId| krate.store.file(file).is_some_and(|f| f.hot.get());
        let includes_hot = m
            .names()
            .is_some_and(|scope| scope.includes.iter().any(|&f| hot(f)));
        if (!hot(m.file) && !includes_hot) || !checked.insert(module) {
            continue;
        }
        krate.scope(module);
        let Some(file) = krate.store.file(m.file) else {
            continue;
        };
        let lexed = file.lexed();
        let mut consts = Consts::new();
        heuristics::string_consts(&lexed.top(), &mut consts);
        let std_names = heuristics::std_stream_names(&lexed.top());
        let mut checker = Checker {
            krate,
            resolver,
            findings,
            file: m.file,
            path: file.path.clone(),
            module,
            blocks: Vec::new(),
            cfg: m.cfg.clone(),
            depth: 0,
            item_macro: false,
            including: Vec::new(),
            consts,
            std_names,
            // Only the package's own code: another workspace member may hold an installer that
            // other binaries (with `log = "off"`) call.
            loggers: loggers && krate.is_own(module),
            own: krate.is_own(module),
            init_ext: false,
            frames: Vec::new(),
            effects,
            pre_exec: 0,
        };
        checker.items(lexed.top());
    }
}

/// The walk over one module's tokens.
struct Checker<'k, 'c, 's> {
    krate: &'k Crate<'s>,
    resolver: &'k Resolver<'c, 's>,
    findings: &'k mut Vec<Finding>,
    file: FileId,
    path: PathBuf,
    module: ModId,
    blocks: Vec<Block>,
    cfg: Vec<Rc<str>>,
    depth: usize,
    /// Inside an item-position macro call: its brace groups hold items of the enclosing scope.
    item_macro: bool,
    /// The files being `include!`d, innermost last (an include cycle is read once).
    including: Vec<FileId>,
    consts: Consts,
    /// Names the file binds to stdout or stderr (`let out = 1;`): a `dup2` onto one counts.
    std_names: StdNames,
    /// Logger installers are findings.
    loggers: bool,
    /// The package's own code (panic hook installers are findings there).
    own: bool,
    /// tracing-subscriber's `SubscriberInitExt` is in scope: `.init()` installs a subscriber.
    init_ext: bool,
    /// The functions being walked, innermost last: what each does (see [`effects`]).
    frames: Vec<effects::Frame>,
    /// What the rules over effects keep across functions.
    effects: &'k mut effects::Effects,
    /// Inside a `pre_exec` closure (how many deep).
    pre_exec: usize,
}

impl Checker<'_, '_, '_> {
    fn at(&self) -> At<'_> {
        At {
            module: self.module,
            blocks: &self.blocks,
        }
    }

    /// The items and statements of a level.
    fn items(&mut self, level: Level<'_>) {
        for item in items::items(level) {
            self.item(&item);
        }
    }

    fn item(&mut self, item: &Item<'_>) {
        let saved_cfg = self.cfg.len();
        self.cfg.extend(item.cfg().map(Rc::from));
        match &item.kind {
            ItemKind::Use(tree) => {
                for leaf in paths::use_tree(*tree) {
                    let target = self.resolver.resolve(
                        &self.at(),
                        leaf.path.absolute,
                        &leaf.path.names(),
                        true,
                    );
                    let at = leaf.path.segs.last().map_or(0, |s| s.at);
                    if let (true, Target::External(path)) = (self.loggers, &target) {
                        self.init_ext |= loggers::brings_init_ext(path, leaf.glob);
                    }
                    self.report_any(&target, leaf.path.display(), at, tree.lexed());
                }
            }
            ItemKind::ExternCrate { name, .. } => {
                let krate = name.ident().unwrap_or("");
                let target = self.resolver.resolve(&self.at(), true, &[krate], true);
                self.report_any(
                    &target,
                    format!("extern crate {krate}"),
                    name.at(),
                    item.toks.lexed(),
                );
            }
            ItemKind::ExternBlock(body) => {
                for (name, symbol, at) in foreign_functions(*body) {
                    let Some(entry) =
                        catalogue::foreign_symbol(&symbol).filter(|e| e.rule == Rule::Any)
                    else {
                        continue;
                    };
                    let written = if name == symbol {
                        format!("extern {{ fn {name} }}")
                    } else {
                        format!("extern {{ #[link_name = \"{symbol}\"] fn {name} }}")
                    };
                    self.push(
                        entry,
                        entry.path.to_owned(),
                        Some(written),
                        at,
                        body.lexed(),
                    );
                }
            }
            ItemKind::Mod {
                name,
                body: Some(body),
            } => self.inline_module(name.ident().unwrap_or(""), *body),
            ItemKind::Fn { name, params, body } => {
                self.expr(item.head);
                if let Some(body) = body {
                    let names = params.map(|p| parameter_names(&p)).unwrap_or_default();
                    self.enter_fn(*name, *params);
                    self.block(*body, names);
                    self.leave_fn();
                }
            }
            ItemKind::Impl { body, .. } => {
                self.expr(item.head);
                if let Some(body) = body {
                    self.scoped(|this| this.items(*body));
                }
            }
            ItemKind::MacroRules { body: Some(body) } => {
                self.macro_rules(&item.toks, *body);
                self.scoped(|this| this.expr(*body));
            }
            ItemKind::MacroCall { .. } => {
                let saved = std::mem::replace(&mut self.item_macro, true);
                self.expr(item.toks);
                self.item_macro = saved;
            }
            ItemKind::Include { arg } => self.include(*arg),
            ItemKind::Mod { body: None, .. } | ItemKind::MacroRules { body: None } => {}
            ItemKind::Decl { .. } | ItemKind::Other => self.expr(item.toks),
        }
        self.cfg.truncate(saved_cfg);
    }

    /// Runs `walk` inside a fresh, empty block scope.
    fn scoped(&mut self, walk: impl FnOnce(&mut Self)) {
        self.blocks.push(Block {
            scope: Default::default(),
            globs: Vec::new(),
        });
        walk(self);
        self.blocks.pop();
    }

    /// `mod name { … }`: the module's own scope at module level, a plain block inside a block.
    fn inline_module(&mut self, name: &str, body: Level<'_>) {
        let child = match self.blocks.is_empty() {
            true => self.krate.module(self.module).and_then(|m| {
                match m.names()?.names.get(name)?.ty.as_ref()? {
                    Binding::Module(child) => Some(*child),
                    _ => None,
                }
            }),
            false => None,
        };
        match child {
            Some(child) => {
                let saved_module = std::mem::replace(&mut self.module, child);
                let saved_blocks = std::mem::take(&mut self.blocks);
                self.krate.scope(child);
                self.items(body);
                self.module = saved_module;
                self.blocks = saved_blocks;
            }
            None => self.block(body, Vec::new()),
        }
    }

    /// A block: its items and `use`s are visible throughout it; `params` are bound too.
    fn block(&mut self, level: Level<'_>, params: Vec<String>) {
        if self.depth >= MAX_DEPTH {
            self.flat(level);
            return;
        }
        let mut scope = self.krate.block_scope(self.module, self.file, level);
        for param in &params {
            scope.bind_local(param);
        }
        let globs = scope
            .globs
            .iter()
            .map(|g| self.resolver.glob_base(g))
            .collect();
        self.blocks.push(Block { scope, globs });
        let saved = std::mem::replace(&mut self.item_macro, false);
        self.depth += 1;
        self.items(level);
        self.depth -= 1;
        self.item_macro = saved;
        self.blocks.pop();
    }

    /// Checks an `include!`d file as part of the current module.
    fn include(&mut self, arg: Option<Node<'_>>) {
        let Some(id) = self
            .krate
            .include(self.file, arg.and_then(|a| include_target(&a)))
        else {
            return;
        };
        if self.including.contains(&id) || id == self.file || self.including.len() >= 8 {
            return;
        }
        let Some(file) = self.krate.store.file(id) else {
            return;
        };
        let saved_path = std::mem::replace(&mut self.path, file.path.clone());
        let saved_file = std::mem::replace(&mut self.file, id);
        self.including.push(id);
        self.items(file.lexed().top());
        self.including.pop();
        self.file = saved_file;
        self.path = saved_path;
    }

    /// Tokens of an expression, a type, a pattern or a macro's arguments.
    fn expr(&mut self, level: Level<'_>) {
        if self.depth >= MAX_DEPTH {
            self.flat(level);
            return;
        }
        self.depth += 1;
        let mut i = 0;
        while let Some(node) = level.get(i) {
            i = match node.kind() {
                Kind::Ident => self.word(&level, i, node),
                Kind::Punct { ch: b'#', .. } => {
                    let inner = level.get(i + 1).is_some_and(|n| n.is_punct(b'!'));
                    let group = if inner { i + 2 } else { i + 1 };
                    match level.get(group).map(|n| n.kind()) {
                        Some(Kind::Group(Delim::Bracket)) => group + 1,
                        _ => i + 1,
                    }
                }
                Kind::Punct { ch: b'.', .. } => {
                    let range = i > 0 && level.get(i - 1).is_some_and(|t| t.is_punct(b'.'));
                    if !range && level.get(i + 1).and_then(|n| n.ident()).is_some() {
                        if let Some(hint) = heuristics::pid_open(&level, i + 1, &self.consts) {
                            self.hint(Rule::PidPath, hint, level.lexed());
                        }
                        if self.init_ext {
                            self.init_method(&level, i + 1);
                        }
                        self.method_effect(&level, i + 1);
                        let pre_exec = level.get(i + 1).is_some_and(|n| n.is_ident("pre_exec"));
                        match level.get(i + 2).and_then(|n| n.group()) {
                            Some((Delim::Paren, args)) if pre_exec => {
                                self.pre_exec += 1;
                                self.expr(args);
                                self.pre_exec -= 1;
                                i + 3
                            }
                            _ => i + 2, // a method or field: never a path
                        }
                    } else {
                        i + 1
                    }
                }
                Kind::Punct { ch: b'$', .. } => {
                    if level.get(i + 1).is_some_and(|t| t.is_ident("crate")) {
                        self.path(&level, i)
                    } else {
                        i + 2 // a macro metavariable
                    }
                }
                Kind::Punct { ch: b':', .. } if paths::colons_at(&level, i) => self.path(&level, i),
                Kind::Punct {
                    ch: b'|', joint, ..
                } => {
                    if joint && level.get(i + 1).is_some_and(|t| t.is_punct(b'|')) {
                        i + 2
                    } else {
                        self.closure_params(&level, i)
                    }
                }
                Kind::Group(delim) => {
                    if let Some((_, inner)) = node.group() {
                        match delim {
                            Delim::Brace if self.item_macro => self.items(inner),
                            Delim::Brace => self.block(inner, Vec::new()),
                            _ => self.expr(inner),
                        }
                    }
                    i + 1
                }
                _ => i + 1,
            };
        }
        self.depth -= 1;
    }

    /// An identifier at `level[i]`: a keyword, a declaration's name, or the start of a path.
    fn word(&mut self, level: &Level<'_>, i: usize, node: Node<'_>) -> usize {
        let name = node.ident().unwrap_or("");
        match name {
            "let" => {
                let names = pattern_names(level, i + 1);
                if let Some(block) = self.blocks.last_mut() {
                    for name in names {
                        block.scope.bind_local(&name);
                    }
                }
                i + 1
            }
            "fn" | "struct" | "enum" | "union" | "trait" | "type" | "mod" | "const" | "static" => {
                let skip_mut = level.get(i + 1).is_some_and(|t| t.is_ident("mut"));
                i + if skip_mut { 3 } else { 2 }
            }
            "include" if level.get(i + 1).is_some_and(|t| t.is_punct(b'!')) => {
                self.include(level.get(i + 2));
                i + 3
            }
            "return" => {
                self.returns();
                i + 1
            }
            "self" | "super" | "crate" => self.path(level, i),
            word if tokens::is_keyword(word) => i + 1,
            _ => self.path(level, i),
        }
    }

    /// A path at `level[i]`: resolved, and reported when it names a banned API.
    fn path(&mut self, level: &Level<'_>, i: usize) -> usize {
        let Some((path, next)) = paths::path_at(level, i) else {
            return i + 1;
        };
        let after = level.get(next);
        let single = path.segs.len() == 1 && !path.absolute;
        let is_macro = after.is_some_and(|n| {
            n.is_punct(b'!')
                && !(n.is_joint() && level.get(next + 1).is_some_and(|t| t.is_punct(b'=')))
        });
        let named = after.is_some_and(|n| match n.kind() {
            Kind::Punct { ch: b':', .. } => !paths::colons_at(level, next),
            Kind::Punct {
                ch: b'=', joint, ..
            } => !joint,
            _ => false,
        });
        if single && (named || is_macro) {
            if is_macro {
                self.macro_call(path.segs[0].name, level.get(next + 1));
            } else if path.segs[0].name == "flags" && after.is_some_and(|n| n.is_punct(b':')) {
                self.flags_field(level, next);
            }
            return next;
        }
        self.pasted(level, &path, next);
        if let Some(hint) = heuristics::command(&path, after) {
            self.hint(Rule::Program, hint, level.lexed());
        } else if let Some(hint) = heuristics::pid_write(&path, after, &self.consts) {
            self.hint(Rule::PidPath, hint, level.lexed());
        }
        let target = self
            .resolver
            .resolve(&self.at(), path.absolute, &path.names(), false);
        let Target::External(full) = &target else {
            if !is_macro && matches!(target, Target::Local | Target::Unknown) {
                self.local_call(&path, after);
            }
            if target == Target::Unknown {
                self.unresolved_effect(&path, after);
            }
            return next;
        };
        self.effect(level, &path, full, next);
        if self.loggers {
            if let Some(installer) = loggers::installer_of(full) {
                self.installer(level, &path, full, next, installer, &loggers::ENTRY);
            }
        }
        if self.own {
            if let Some(installer) = panic_hooks::installer_of(full) {
                self.installer(level, &path, full, next, installer, &panic_hooks::ENTRY);
            }
        }
        if let Some(server) = signals::server_of(full) {
            let at = path.segs.first().map_or(0, |s| s.at);
            let written = Some(path.display());
            self.push(
                &server.entry,
                server.path.to_owned(),
                written,
                at,
                level.lexed(),
            );
        }
        if full.join("::") == catalogue::SYSCALL {
            self.syscall(after);
        }
        let Some(entry) = catalogue::lookup(full) else {
            return next;
        };
        let at = path.segs.first().map_or(0, |s| s.at);
        match entry.rule {
            Rule::Any => self.push(
                entry,
                entry.path.to_owned(),
                Some(path.display()),
                at,
                level.lexed(),
            ),
            Rule::DupOnto { arg } if !is_macro => {
                let onto = after
                    .and_then(|n| n.group())
                    .filter(|(delim, _)| *delim == Delim::Paren)
                    .and_then(|(_, args)| args.split(b',').get(arg).copied());
                let onto_std = onto.is_some_and(|onto| {
                    heuristics::names_std_stream(&onto)
                        || heuristics::bound_to_std_stream(&onto, &self.std_names)
                });
                if let (false, Some(onto)) = (onto_std, onto) {
                    self.dup_target(entry, &onto);
                }
                if onto_std {
                    self.push(
                        entry,
                        entry.path.to_owned(),
                        Some(path.display()),
                        at,
                        level.lexed(),
                    );
                }
            }
            _ => {}
        }
        next
    }
}
