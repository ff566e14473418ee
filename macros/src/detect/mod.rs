//! The no-daemon detector: reads the crate that `#[twelve_factor::main]` stands in and turns
//! daemonizing APIs into compile errors. How it is built, and why, is in `docs/design/no-daemon-detector.md`.
//!
//! The stages, one folder each, every one reading only what the stages before produced:
//! [`rules`] (what is banned, as data) and [`syntax`] (tokens, items, paths) → [`source`]
//! (`Cargo.toml`, the workspace, every file read once and prefiltered) → [`names`] (module
//! tree, scopes, resolution) → [`check`] (findings, as data) → [`report`] (one error per
//! banned use). This file is the pipeline.

mod check;
mod names;
mod report;
mod rules;
mod source;
mod syntax;
#[cfg(test)]
mod tests;

use check::finding::{self, Scanned};
use names::{index::Crate, resolve::Resolver};
use proc_macro2::TokenStream;
use source::store::{Sources, Store};
use source::{prefilter::Prefilter, selection::selection, workspace};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

pub(crate) use source::workspace::Root;

/// Scans the crate around `main` (the function's tokens, for the spans of errors inside it)
/// and returns the compile errors and warnings to emit. Outside a compiler that knows source
/// files (rust-analyzer: `local_file()` is `None`), or in a doctest (whose "file" is the module
/// holding the comment), it does nothing. `log_off`: `log = "off"`, the service may install
/// its own logger.
pub(crate) fn scan(main: &TokenStream, log_off: bool) -> TokenStream {
    let doctest = std::env::var_os("UNSTABLE_RUSTDOC_TEST_PATH").is_some();
    if !proc_macro::is_available() || doctest {
        return TokenStream::new();
    }
    let Some(root) = proc_macro::Span::call_site().local_file() else {
        return TokenStream::new();
    };
    let root = match (root.is_absolute(), std::env::current_dir()) {
        (true, _) => root,
        (false, Ok(dir)) => dir.join(root),
        (false, Err(_)) => return TokenStream::new(),
    };
    let package = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from);
    let (manifest, roots) = package
        .as_deref()
        .map(workspace::package)
        .unwrap_or_default();
    let mut scanned = scan_crate(
        &root,
        &source::disk::Disk,
        &manifest.renames,
        !log_off,
        &roots,
    );
    if let Some(dir) = &package {
        let suspects = finding::suspect_dependencies(&manifest.suspects, &dir.join("Cargo.toml"));
        scanned.findings.extend(suspects);
    }
    let groups = report::group(&scanned.findings, &manifest.banned);
    let mut out = report::emit(
        &groups,
        &scanned.included,
        &report::MainSpans::collect(main, &root),
    );
    out.extend(report::skipped(&scanned.skipped));
    out
}

/// Scans the crate whose root file is `root`, reading through `sources`, with the prefilter
/// built from the rules (see [`selection`]).
pub(crate) fn scan_crate(
    root: &Path,
    sources: &dyn Sources,
    renames: &HashMap<String, String>,
    loggers: bool,
    roots: &[Root],
) -> Scanned {
    let (prefilter, names) = selection(renames, loggers);
    scan_with(root, sources, renames, prefilter, names, loggers, roots)
}

/// [`scan_crate`] with a given prefilter and set of identifiers that matter.
pub(crate) fn scan_with(
    root: &Path,
    sources: &dyn Sources,
    renames: &HashMap<String, String>,
    prefilter: Prefilter,
    names: HashSet<String>,
    loggers: bool,
    roots: &[Root],
) -> Scanned {
    let store = Store::new(sources, prefilter, names.clone());
    let Some(krate) = Crate::walk(root, store, renames.clone()) else {
        return Scanned::default();
    };
    for root in roots {
        krate.add_root(&root.name, &root.path, root.own);
    }
    let resolver = Resolver::new(&krate);
    names::suspects::follow(&krate, &resolver, names);
    let findings = check::check(&krate, &resolver, loggers);
    Scanned::new(findings, &krate.store)
}
