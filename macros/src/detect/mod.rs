//! The no-daemon detector: reads the crate that `#[twelve_factor::main]` stands in and turns
//! daemonizing APIs into compile errors (DESIGN.md, "The no-daemon guarantee").
//!
//! The steps, one file each: [`manifest`] checks `Cargo.toml`; [`walk`] follows the module tree
//! from the attribute's file, reading every file but lexing ([`lex`]) only those the
//! [`prefilter`] selects; [`check`] walks their tokens ([`syntax`]), resolves paths
//! ([`resolve`]) against the [`catalogue`] and applies the [`heuristics`]; [`report`] turns the
//! findings into errors and warnings.

mod catalogue;
mod check;
mod heuristics;
mod lex;
mod manifest;
mod prefilter;
mod report;
mod resolve;
mod syntax;
mod toml;
mod walk;

use proc_macro2::TokenStream;
use std::path::PathBuf;

/// Scans the crate around `main` and returns the compile errors and warnings to emit. Outside a
/// compiler that knows source files (rust-analyzer: `local_file()` is `None`) it does nothing.
pub(crate) fn scan(main: &syn::ItemFn) -> TokenStream {
    if !proc_macro::is_available() {
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
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(|dir| PathBuf::from(dir).join("Cargo.toml"))
        .and_then(|path| std::fs::read_to_string(path).ok())
        .map(|text| manifest::parse(&text))
        .unwrap_or_default();

    // Renamed banned crates are mentioned by their new name only.
    let aliases: Vec<&str> = manifest
        .renames
        .iter()
        .filter(|(_, lib)| catalogue::banned_crate(lib).is_some())
        .map(|(alias, _)| alias.as_str())
        .collect();
    let prefilter = prefilter::Prefilter::new(catalogue::words().into_iter().chain(aliases));

    let mut findings = Vec::new();
    let mut included = Vec::new();
    if let Some(mut krate) =
        walk::Crate::walk(&root, &walk::Disk, prefilter, manifest.renames.clone())
    {
        for finding in check::check(&mut krate) {
            let path = krate
                .files
                .get(finding.file)
                .map(|f| f.path.clone())
                .unwrap_or_default();
            findings.push((finding, path));
        }
        included = krate
            .files
            .iter()
            .filter(|f| f.included)
            .map(|f| f.path.clone())
            .collect();
    }
    let main_spans = report::MainSpans::collect(main, &root);
    report::emit(&findings, &manifest.banned, &included, &main_spans)
}
