//! The no-daemon detector: reads the crate that `#[twelve_factor::main]` stands in and turns
//! daemonizing APIs into compile errors. How it is built, and why, is in `docs/design.md`.
//!
//! The steps, one file each, every one reading only what the step before produced:
//! 1. [`manifest`] reads `Cargo.toml` (through [`toml`]): banned dependencies and crate renames;
//! 2. [`store`] holds every source file, read once by canonical identity, run through the
//!    [`prefilter`] and [`lex`]ed only when needed;
//! 3. [`index`] finds the module tree and the names each module binds, through the one item
//!    iterator in [`syntax`];
//! 4. [`resolve`] answers what a path names, memoized, within one budget;
//! 5. [`check`] walks the tokens of the selected files, asking the resolver and the
//!    [`catalogue`] (and, for patterns, [`heuristics`]), and returns findings as data;
//! 6. [`report`] groups the findings into one message per API and emits them.

mod bytes;
mod catalogue;
mod check;
mod heuristics;
mod index;
mod lex;
mod loggers;
mod manifest;
mod paths;
mod prefilter;
mod relevance;
mod report;
mod resolve;
mod scope;
mod store;
mod syntax;
mod tokens;
mod toml;

#[cfg(test)]
mod robust;
#[cfg(test)]
mod tests;

use proc_macro2::TokenStream;
use report::Finding;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use store::{Sources, Store};

/// Scans the crate around `main` and returns the compile errors and warnings to emit. Outside a
/// compiler that knows source files (rust-analyzer: `local_file()` is `None`) it does nothing.
/// `log_off`: the attribute says `log = "off"`, so the service may install its own logger.
pub(crate) fn scan(main: &syn::ItemFn, log_off: bool) -> TokenStream {
    if !proc_macro::is_available() {
        return TokenStream::new();
    }
    // A doctest is a snippet inside a doc comment: its "file" is the library module that holds
    // the comment, whose module tree is not the snippet's. rustdoc names the doctest's source
    // in this variable when it compiles one; there is no crate of the user's to read.
    if std::env::var_os("UNSTABLE_RUSTDOC_TEST_PATH").is_some() {
        return TokenStream::new();
    }
    let Some(root) = proc_macro::Span::call_site().local_file() else {
        return TokenStream::new();
    };
    let root = match root.is_absolute() {
        true => root,
        false => match std::env::current_dir() {
            Ok(dir) => dir.join(root),
            Err(_) => return TokenStream::new(),
        },
    };
    let package_dir = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from);
    let read = |path: &Path| std::fs::read_to_string(path).ok();
    let text = package_dir
        .as_deref()
        .and_then(|dir| read(&dir.join("Cargo.toml")));
    let workspace = package_dir.as_deref().and_then(workspace_root);
    let manifest = text
        .map(|text| manifest::parse(&text, workspace.as_ref().map(|(_, text)| text.as_str())))
        .unwrap_or_default();
    let roots = package_dir
        .as_deref()
        .map(|dir| other_roots(dir, workspace.as_ref().map(|(d, _)| d.as_path()), &manifest))
        .unwrap_or_default();
    let mut scanned = scan_crate(&root, &store::Disk, &manifest.renames, !log_off, &roots);
    if let (Some(dir), Some(entry)) = (
        &package_dir,
        catalogue::heuristic(catalogue::Rule::DependencyName),
    ) {
        for dep in &manifest.suspects {
            scanned.findings.push(Finding {
                entry,
                title: format!("`{}`", dep.package),
                written: None,
                file: dir.join("Cargo.toml"),
                pos: lex::Pos {
                    line: u32::try_from(dep.line).unwrap_or(0),
                    col: 1,
                },
                cfg: Vec::new(),
                import: false,
            });
        }
    }
    let groups = report::group(&scanned.findings, &manifest.banned);
    let main_spans = report::MainSpans::collect(main, &root);
    report::emit(&groups, &scanned.included, &main_spans)
}

/// Another crate of the user's to scan: its name in the code, its root file, and whether it is
/// the attribute's own package (its library target) rather than another workspace member.
pub(crate) struct Root {
    pub name: String,
    pub path: PathBuf,
    pub own: bool,
}

/// What a scan found.
pub(crate) struct Scanned {
    pub findings: Vec<Finding>,
    /// Files read through `include!` (rustc must rebuild when they change).
    pub included: Vec<PathBuf>,
    /// How many files were read, and how many of them lexed.
    #[cfg(test)]
    pub files: usize,
    #[cfg(test)]
    pub lexed: usize,
}

/// Scans the crate whose root file is `root`, reading through `sources`; `renames` maps
/// extern-prelude names to library names (Cargo `package =`); `loggers`: global logger
/// installers are findings.
pub(crate) fn scan_crate(
    root: &Path,
    sources: &dyn Sources,
    renames: &HashMap<String, String>,
    loggers: bool,
    roots: &[Root],
) -> Scanned {
    // Renamed banned crates are mentioned by their new name only.
    let aliases: Vec<&str> = renames
        .iter()
        .filter(|(_, lib)| catalogue::banned_crate(lib).is_some())
        .map(|(alias, _)| alias.as_str())
        .collect();
    let (logger_words, logger_names): (&[&str], Vec<&str>) = match loggers {
        true => (loggers::WORDS, loggers::names().collect()),
        false => (&[], Vec::new()),
    };
    let words = catalogue::words()
        .into_iter()
        .chain(aliases.iter().copied());
    let prefilter = prefilter::Prefilter::new(words.chain(logger_words.iter().copied()));
    let names = catalogue::names()
        .chain(logger_names.iter().copied())
        .map(str::to_owned)
        .chain(aliases.iter().map(|alias| (*alias).to_owned()))
        .collect();
    scan_with(root, sources, renames, prefilter, names, loggers, roots)
}

/// [`scan_crate`] with a given prefilter and set of identifiers that matter.
pub(crate) fn scan_with(
    root: &Path,
    sources: &dyn Sources,
    renames: &HashMap<String, String>,
    prefilter: prefilter::Prefilter,
    names: HashSet<String>,
    loggers: bool,
    roots: &[Root],
) -> Scanned {
    let store = Store::new(sources, prefilter, names.clone());
    let Some(krate) = index::Crate::walk(root, store, renames.clone()) else {
        return Scanned {
            findings: Vec::new(),
            included: Vec::new(),
            #[cfg(test)]
            files: 0,
            #[cfg(test)]
            lexed: 0,
        };
    };
    for root in roots {
        krate.add_root(&root.name, &root.path, root.own);
    }
    let resolver = resolve::Resolver::new(&krate);
    follow_suspects(&krate, &resolver, names);
    let findings = check::check(&krate, &resolver, loggers);
    let files: Vec<_> = (0..krate.store.len())
        .filter_map(|id| krate.store.file(id))
        .collect();
    Scanned {
        findings,
        included: files
            .iter()
            .filter(|f| f.included.get())
            .map(|f| f.path.clone())
            .collect(),
        #[cfg(test)]
        files: files.len(),
        #[cfg(test)]
        lexed: files.iter().filter(|f| f.is_lexed()).count(),
    }
}

/// The nearest directory at or above `package` whose `Cargo.toml` declares a workspace, with
/// that manifest's text.
fn workspace_root(package: &Path) -> Option<(PathBuf, String)> {
    package.ancestors().take(8).find_map(|dir| {
        let text = std::fs::read_to_string(dir.join("Cargo.toml")).ok()?;
        manifest::is_workspace_root(&text).then(|| (dir.to_path_buf(), text))
    })
}

/// The user's other crates to scan: the package's own library target, and the library of every
/// `path =` dependency inside the workspace (and theirs, transitively), as `(name in the code,
/// root file)`.
fn other_roots(
    package: &Path,
    workspace: Option<&Path>,
    manifest: &manifest::Manifest,
) -> Vec<Root> {
    let mut roots = vec![Root {
        name: manifest.lib.0.clone(),
        path: package.join(&manifest.lib.1),
        own: true,
    }];
    let mut queue: Vec<(PathBuf, manifest::PathDependency)> = manifest
        .path_deps
        .iter()
        .map(|dep| (package.to_path_buf(), dep.clone()))
        .collect();
    let mut seen: Vec<PathBuf> = vec![store::normalize(package)];
    while let Some((from, dep)) = queue.pop() {
        let base = match (dep.from_workspace, workspace) {
            (true, Some(root)) => root,
            _ => from.as_path(),
        };
        let dir = store::normalize(&base.join(&dep.path));
        // Only the workspace's own members: a path dependency elsewhere (a vendored or
        // checked-out library) is someone else's code, like a registry crate.
        let inside = dir.starts_with(store::normalize(workspace.unwrap_or(package)));
        if !inside || seen.contains(&dir) || seen.len() > 32 {
            continue;
        }
        seen.push(dir.clone());
        let Ok(text) = std::fs::read_to_string(dir.join("Cargo.toml")) else {
            continue;
        };
        let theirs = manifest::parse(&text, None);
        roots.push(Root {
            name: dep.name.clone(),
            path: dir.join(&theirs.lib.1),
            own: false,
        });
        queue.extend(theirs.path_deps.into_iter().map(|d| (dir.clone(), d)));
    }
    roots
}

/// Names that the checked modules bind to banned APIs under a name of their own (`use libc::fork
/// as spawn;`, `pub use nix::unistd as u;`, `extern crate libc as sys;`): a file that mentions
/// one is checked too, even though it mentions no banned word. Repeated while new names appear.
fn follow_suspects(
    krate: &index::Crate<'_>,
    resolver: &resolve::Resolver<'_, '_>,
    mut known: HashSet<String>,
) {
    for _ in 0..4 {
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
                for (ns, binding) in [
                    (syntax::Ns::Type, &slot.ty),
                    (syntax::Ns::Value, &slot.value),
                ] {
                    if !matches!(
                        binding,
                        Some(index::Binding::Import(_) | index::Binding::Extern(_))
                    ) {
                        continue;
                    }
                    if let Some(resolve::Target::External(path)) = resolver.lookup(id, name, ns) {
                        if catalogue::leads_to_banned(&path) {
                            found.insert(name.clone());
                        }
                    }
                }
            }
        }
        if found.is_empty() {
            return;
        }
        let prefilter = prefilter::Prefilter::new(found.iter().map(String::as_str));
        for id in 0..krate.store.len() {
            krate.store.rescan(id, &prefilter, &found);
        }
        known.extend(found);
    }
}
