//! What the user reads. Findings are data ([`Finding`], from the check); this file groups them — one compile
//! error per banned API, carrying every place it is used, the manifest's line included — and
//! turns them into tokens: `compile_error!` for errors, the stable `#[deprecated]` trick for
//! warnings, and `include_bytes!` lines that make rustc rebuild when an `include!`d file changes.
//!
//! An error points at the offending token itself when one of its places is inside `main` (the
//! only tokens the attribute has real spans for); otherwise at the attribute, with every place's
//! `file:line:col` in the message.

use crate::detect::check::finding::{Finding, Severity};
use crate::detect::rules::catalogue::{Entry, Rule};
use crate::detect::source::manifest::BannedDependency;
use crate::detect::syntax::lex::Pos;
use proc_macro2::{Span, TokenStream, TokenTree};
use quote::{quote, quote_spanned};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// One message: every finding of one API, and the manifest line that pulls its crate in.
pub(crate) struct Group<'f> {
    pub severity: Severity,
    pub entry: &'static Entry,
    pub title: String,
    pub places: Vec<&'f Finding>,
    pub dependency: Option<&'f BannedDependency>,
}

/// Groups findings (sorted, duplicates dropped) and banned dependencies into messages, in the
/// order of their first place, manifest first.
pub(crate) fn group<'f>(
    findings: &'f [Finding],
    dependencies: &'f [BannedDependency],
) -> Vec<Group<'f>> {
    let mut groups: Vec<Group<'f>> = Vec::new();
    let mut index: HashMap<(Severity, String), usize> = HashMap::new();
    for dep in dependencies {
        index.insert((Severity::Error, dep.entry.path.to_owned()), groups.len());
        groups.push(Group {
            severity: Severity::Error,
            entry: dep.entry,
            title: dep.entry.path.to_owned(),
            places: Vec::new(),
            dependency: Some(dep),
        });
    }
    for finding in findings {
        let key = (finding.severity(), finding.title.clone());
        match index.get(&key) {
            Some(&at) => {
                if let Some(group) = groups.get_mut(at) {
                    let seen = group
                        .places
                        .iter()
                        .any(|p| p.file == finding.file && p.pos == finding.pos);
                    if !seen {
                        group.places.push(finding);
                    }
                }
            }
            None => {
                index.insert(key, groups.len());
                groups.push(Group {
                    severity: finding.severity(),
                    entry: finding.entry,
                    title: finding.title.clone(),
                    places: vec![finding],
                    dependency: None,
                });
            }
        }
    }
    for group in &mut groups {
        group.places.sort_by_key(|f| f.import);
    }
    groups
}

/// The spans of `main`'s tokens by 1-based line and column, to give errors inside `main` a
/// real span.
pub(crate) struct MainSpans {
    file: PathBuf,
    spans: HashMap<(u32, u32), Span>,
}

impl MainSpans {
    /// Collects the spans of `main`'s tokens (only inside a running proc macro).
    pub(crate) fn collect(main: &TokenStream, root: &Path) -> MainSpans {
        let mut spans = HashMap::new();
        if proc_macro::is_available() {
            let mut stack = vec![main.clone()];
            while let Some(tokens) = stack.pop() {
                for token in tokens {
                    let span = match &token {
                        TokenTree::Group(group) => group.span_open(),
                        other => other.span(),
                    };
                    let location = span.unwrap();
                    if let (Ok(line), Ok(col)) = (
                        u32::try_from(location.line()),
                        u32::try_from(location.column()),
                    ) {
                        spans.entry((line, col)).or_insert(span);
                    }
                    if let TokenTree::Group(group) = token {
                        stack.push(group.stream());
                    }
                }
            }
        }
        MainSpans {
            file: root.to_path_buf(),
            spans,
        }
    }

    fn get(&self, file: &Path, pos: Pos) -> Option<Span> {
        if self.file != file {
            return None;
        }
        self.spans.get(&(pos.line, pos.col)).copied()
    }
}

/// How a file is named in messages: relative to the package (or the current directory) when
/// it is inside it.
pub(crate) fn display_path(path: &Path) -> String {
    let bases = [
        std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from),
        std::env::current_dir().ok(),
    ];
    for base in bases.into_iter().flatten() {
        if let Ok(relative) = path.strip_prefix(&base) {
            return relative.display().to_string();
        }
    }
    path.display().to_string()
}

/// At most this many places are listed in one message.
const MAX_PLACES: usize = 8;

/// The message of a group.
pub(crate) fn message(group: &Group<'_>) -> String {
    let mut places: Vec<String> = Vec::new();
    if let Some(dep) = group.dependency {
        let named = if dep.package == dep.key {
            String::new()
        } else {
            format!(" as `{}`", dep.key)
        };
        places.push(format!("Cargo.toml:{} ([dependencies]{named})", dep.line));
    }
    for finding in group.places.iter().take(MAX_PLACES) {
        let written = finding
            .written
            .as_ref()
            .filter(|w| **w != group.title)
            .map(|w| format!(" (`{w}`)"))
            .unwrap_or_default();
        places.push(format!(
            "{}:{}:{}{written}",
            display_path(&finding.file),
            finding.pos.line,
            finding.pos.col
        ));
    }
    if group.places.len() > MAX_PLACES {
        places.push(format!("{} more", group.places.len() - MAX_PLACES));
    }
    let at = places.join(", ");
    let entry = group.entry;
    match group.severity {
        Severity::Error => {
            let remove = if group.dependency.is_some() {
                "remove it from [dependencies] ([dev-dependencies] and [build-dependencies] are fine); "
            } else {
                ""
            };
            let verb = match entry.rule {
                Rule::Installer => "installs a global logger, which #[twelve_factor::main] already does",
                _ => "is banned by #[twelve_factor::main]",
            };
            format!(
                "`{}` at {at} {verb}: {}.\nhelp: {remove}{}.",
                group.title, entry.why, entry.instead
            )
        }
        Severity::Warning => format!(
            "{} at {at} looks like daemonizing: {}.\nhelp: {}; if it is not, allow this warning with `#[allow(deprecated)]`.",
            group.title, entry.why, entry.instead
        ),
    }
}

/// The `cfg` under which a group's message applies: `None` when it always does, `Some("")` when
/// it never can be expressed.
fn group_cfg(group: &Group<'_>) -> Option<String> {
    let mut alternatives: Vec<String> = Vec::new();
    let dep_cfg = group.dependency.map(|d| d.cfg.clone());
    let places = group
        .places
        .iter()
        .map(|f| f.cfg.iter().map(|c| c.to_string()).collect::<Vec<_>>());
    for predicates in dep_cfg.into_iter().chain(places) {
        if predicates.is_empty() {
            return None;
        }
        alternatives.push(format!("all({})", predicates.join(", ")));
    }
    Some(format!("any({})", alternatives.join(", ")))
}

/// `#[cfg(…)]` for a group, or `None` when its predicate does not parse.
fn cfg_attr(group: &Group<'_>) -> Option<TokenStream> {
    match group_cfg(group) {
        None => Some(TokenStream::new()),
        Some(predicate) => {
            let parsed = predicate.parse::<TokenStream>().ok()?;
            Some(quote!(#[cfg(#parsed)]))
        }
    }
}

/// A compile error at `span`.
fn error(span: Span, cfg: TokenStream, message: &str) -> TokenStream {
    quote_spanned! {span=>
        #cfg
        ::core::compile_error! { #message }
    }
}

/// A warning at `span`: a use of a deprecated item whose note is the message.
fn warning(span: Span, cfg: TokenStream, message: &str) -> TokenStream {
    let use_site = quote_spanned!(span=> possibly_daemonizing);
    quote! {
        #cfg
        const _: () = {
            #[deprecated(note = #message)]
            #[allow(non_upper_case_globals)]
            const possibly_daemonizing: () = ();
            #use_site
        };
    }
}

/// All the tokens to append to the expansion.
pub(crate) fn emit(groups: &[Group<'_>], included: &[PathBuf], main: &MainSpans) -> TokenStream {
    let mut out = TokenStream::new();
    for group in groups {
        let Some(cfg) = cfg_attr(group) else {
            continue;
        };
        let span = group
            .places
            .iter()
            .find_map(|f| main.get(&f.file, f.pos))
            .unwrap_or_else(Span::call_site);
        let text = message(group);
        out.extend(match group.severity {
            Severity::Error => error(span, cfg, &text),
            Severity::Warning => warning(span, cfg, &text),
        });
    }
    for path in included {
        if let Some(path) = path.to_str() {
            out.extend(quote!(
                const _: &[u8] = ::core::include_bytes!(#path);
            ));
        }
    }
    out
}
