//! What the user reads: one compile error per banned API (the API, `file:line:col`, one
//! sentence of why, one of what to do instead), warnings for heuristics through the stable
//! `#[deprecated]` trick, and `include_bytes!` lines that make rustc rebuild when an
//! `include!`d file changes.
//!
//! An error points at the offending token itself when that token is part of `main` (the only
//! tokens the attribute has real spans for); elsewhere it points at the attribute and the message
//! names the file and position.

use super::check::{Finding, Severity};
use super::manifest::BannedDependency;
use proc_macro2::{Span, TokenStream, TokenTree};
use quote::{quote, quote_spanned, ToTokens};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The spans of `main`'s tokens by 1-based line and column, to give errors inside `main` a
/// real span.
pub(crate) struct MainSpans {
    file: Option<PathBuf>,
    spans: HashMap<(u32, u32), Span>,
}

impl MainSpans {
    /// Collects the spans of `main`'s tokens (only inside a running proc macro).
    pub(crate) fn collect(main: &syn::ItemFn, root: &Path) -> MainSpans {
        let mut spans = HashMap::new();
        if proc_macro::is_available() {
            collect_spans(main.to_token_stream(), &mut spans, 0);
        }
        MainSpans {
            file: Some(root.to_path_buf()),
            spans,
        }
    }

    fn get(&self, file: &Path, line: u32, col: u32) -> Option<Span> {
        if self.file.as_deref() != Some(file) {
            return None;
        }
        self.spans.get(&(line, col)).copied()
    }
}

fn collect_spans(tokens: TokenStream, spans: &mut HashMap<(u32, u32), Span>, depth: usize) {
    if depth > 256 {
        return;
    }
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
            collect_spans(group.stream(), spans, depth + 1);
        }
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

/// The message of a finding.
pub(crate) fn message(finding: &Finding, file: &str) -> String {
    let written = finding
        .written
        .as_ref()
        .map(|w| format!(" (written `{w}`)"))
        .unwrap_or_default();
    let at = format!("{file}:{}:{}", finding.pos.line, finding.pos.col);
    match finding.severity {
        Severity::Error => format!(
            "`{}`{written} at {at} is banned by #[twelve_factor::main]: {}.\nhelp: {}.",
            finding.api, finding.why, finding.instead
        ),
        Severity::Warning => format!(
            "{} at {at} looks like daemonizing: {}.\nhelp: {}.",
            finding.api, finding.why, finding.instead
        ),
    }
}

/// The message of a banned dependency.
pub(crate) fn dependency_message(dep: &BannedDependency) -> String {
    let package = if dep.package == dep.key {
        String::new()
    } else {
        format!(" (package `{}`)", dep.package)
    };
    format!(
        "`{}`{package} at Cargo.toml:{} is a daemonizing crate among [dependencies], banned by #[twelve_factor::main]: {}.\nhelp: remove it ([dev-dependencies] and [build-dependencies] are fine); {}.",
        dep.key, dep.line, dep.entry.why, dep.entry.instead
    )
}

/// `#[cfg(all(…))]` for the predicates, or `None` when one does not parse.
fn cfg_attr(predicates: &[impl AsRef<str>]) -> Option<TokenStream> {
    if predicates.is_empty() {
        return Some(TokenStream::new());
    }
    let mut parsed = Vec::new();
    for predicate in predicates {
        parsed.push(predicate.as_ref().parse::<TokenStream>().ok()?);
    }
    Some(quote!(#[cfg(all(#(#parsed),*))]))
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
pub(crate) fn emit(
    findings: &[(Finding, PathBuf)],
    dependencies: &[BannedDependency],
    included: &[PathBuf],
    main: &MainSpans,
) -> TokenStream {
    let mut out = TokenStream::new();
    for dep in dependencies {
        if let Some(cfg) = cfg_attr(&dep.cfg) {
            out.extend(error(Span::call_site(), cfg, &dependency_message(dep)));
        }
    }
    for (finding, path) in findings {
        let Some(cfg) = cfg_attr(&finding.cfg) else {
            continue;
        };
        let span = main
            .get(path, finding.pos.line, finding.pos.col)
            .unwrap_or_else(Span::call_site);
        let text = message(finding, &display_path(path));
        out.extend(match finding.severity {
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
