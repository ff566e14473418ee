//! What the user reads. Findings are data ([`Finding`], from the check); this file groups them
//! by API, splits them into one message per use (a `use` line is a note on the first use; the
//! manifest line that pulls a banned crate in is a note on each use, or the error itself when
//! the code never names the crate), words each in rustc's shape (a short first line naming the
//! API and where, then `= note:` and `= help:` lines) and turns them into tokens:
//! `compile_error!` for errors, the stable `#[deprecated]` trick for warnings, and
//! `include_bytes!` lines that make rustc rebuild when an `include!`d file changes.
//!
//! An error points at the offending token itself when its place is inside `main` (the only
//! tokens the attribute has real spans for); otherwise at the attribute, with `file:line:col`
//! in the message.

use crate::detect::check::finding::{Finding, Severity};
use crate::detect::rules::catalogue::{Entry, Rule};
use crate::detect::source::manifest::BannedDependency;
use crate::detect::syntax::lex::Pos;
use proc_macro2::{Span, TokenStream, TokenTree};
use quote::{quote, quote_spanned};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Every finding of one API, and the manifest line that pulls its crate in.
pub(crate) struct Group<'f> {
    pub severity: Severity,
    pub entry: &'static Entry,
    pub title: String,
    pub places: Vec<&'f Finding>,
    pub dependency: Option<&'f BannedDependency>,
}

/// Groups findings (sorted, duplicates dropped) and banned dependencies by API, in the order
/// of their first place, manifest first.
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

/// At most this many messages per API; the last one counts the rest.
const MAX_MESSAGES: usize = 8;

/// One message: one use of an API (or, for a banned crate the code never names, its manifest
/// line), with the imports and the manifest line that belong to it.
pub(crate) struct Message<'f> {
    pub severity: Severity,
    pub entry: &'static Entry,
    pub title: String,
    /// The use; `None` when the manifest line is the place.
    pub place: Option<&'f Finding>,
    /// `use` lines of the API, noted on its first message.
    pub imports: Vec<&'f Finding>,
    pub dependency: Option<&'f BannedDependency>,
    /// Uses of the same API beyond [`MAX_MESSAGES`], counted on the last message.
    pub more: usize,
}

/// One message per use, group by group. A `ForkResult` is how `fork`'s result is matched: in a
/// file that also names a `fork`, it is part of that use and adds no message.
pub(crate) fn messages<'f>(groups: &[Group<'f>]) -> Vec<Message<'f>> {
    let mut out = Vec::new();
    for group in groups {
        if is_companion(group, groups) {
            continue;
        }
        let (imports, uses): (Vec<&Finding>, Vec<&Finding>) =
            group.places.iter().partition(|f| f.import);
        let message = |place, imports, more| Message {
            severity: group.severity,
            entry: group.entry,
            title: group.title.clone(),
            place,
            imports,
            dependency: group.dependency,
            more,
        };
        // Without a use, each `use` line is the use.
        let (places, imports) = match uses.is_empty() {
            true => (imports, Vec::new()),
            false => (uses, imports),
        };
        if places.is_empty() {
            out.push(message(None, Vec::new(), 0));
            continue;
        }
        let more = places.len().saturating_sub(MAX_MESSAGES);
        let shown = places.len().min(MAX_MESSAGES);
        for (i, place) in places.into_iter().take(MAX_MESSAGES).enumerate() {
            let imports = if i == 0 { imports.clone() } else { Vec::new() };
            let more = if i + 1 == shown { more } else { 0 };
            out.push(message(Some(place), imports, more));
        }
    }
    out
}

/// Whether `group` is `nix`'s `ForkResult` used in a file that also names a `fork`.
fn is_companion(group: &Group<'_>, groups: &[Group<'_>]) -> bool {
    if !group.title.ends_with("::ForkResult") || group.dependency.is_some() {
        return false;
    }
    groups.iter().any(|other| {
        !other.title.ends_with("::ForkResult")
            && other.entry.why == group.entry.why
            && other.severity == group.severity
            && other
                .places
                .iter()
                .any(|o| group.places.iter().any(|p| p.file == o.file))
    })
}

/// `file:line:col` of a finding.
fn location(finding: &Finding) -> String {
    format!(
        "{}:{}:{}",
        display_path(&finding.file),
        finding.pos.line,
        finding.pos.col
    )
}

/// `Cargo.toml:12 ([dependencies] as `bg`)`.
fn manifest_line(dep: &BannedDependency) -> String {
    let named = if dep.package == dep.key {
        String::new()
    } else {
        format!(" as `{}`", dep.key)
    };
    format!("Cargo.toml:{} ([dependencies]{named})", dep.line)
}

/// The text of a message: a short first line, then `= note:` and `= help:` lines.
pub(crate) fn message(message: &Message<'_>) -> String {
    let entry = message.entry;
    let title = &message.title;
    let at = match (message.place, message.dependency) {
        (Some(place), _) => location(place),
        (None, Some(dep)) => manifest_line(dep),
        (None, None) => String::new(),
    };
    let mut lines = vec![match (message.severity, entry.rule) {
        (Severity::Error, Rule::Installer) => format!(
            "`{title}` in {at} installs a global logger: #[twelve_factor::main] already installs one"
        ),
        (Severity::Error, Rule::PanicHook) => format!(
            "`{title}` in {at} replaces the panic hook: #[twelve_factor::main] logs panics on stdout with its own"
        ),
        (Severity::Error, Rule::OwnSignals) => format!(
            "`{title}` in {at} handles SIGTERM itself: #[twelve_factor::main] owns the stop signals and the drain"
        ),
        (Severity::Error, _) => format!("`{title}` in {at} is banned: {}", entry.short()),
        (Severity::Warning, _) => format!("{title} in {at} looks like daemonizing"),
    }];
    if let Some(written) = message.place.and_then(|p| p.written.as_ref()) {
        if written != title {
            lines.push(format!("= note: written `{written}` there"));
        }
    }
    lines.push(format!("= note: {}", entry.why));
    if !message.imports.is_empty() {
        let at: Vec<String> = message.imports.iter().map(|f| location(f)).collect();
        lines.push(format!("= note: imported at {}", at.join(", ")));
    }
    if let (Some(dep), Some(_)) = (message.dependency, message.place) {
        lines.push(format!("= note: {} pulls the crate in", manifest_line(dep)));
    }
    if message.more > 0 {
        lines.push(format!(
            "= note: {} more uses of `{title}` are not shown",
            message.more
        ));
    }
    lines.push(match message.severity {
        Severity::Error => {
            let remove = if message.dependency.is_some() {
                "remove it from [dependencies] ([dev-dependencies] and [build-dependencies] are fine); "
            } else {
                ""
            };
            format!("= help: {remove}{}", entry.instead)
        }
        Severity::Warning => format!(
            "= help: {}; if it is not, allow this warning with `#[allow(deprecated)]`",
            entry.instead
        ),
    });
    lines.join("\n")
}

/// The `cfg` under which a message applies: `None` when it always does. Its use, its imports
/// and the manifest line are alternatives: the message stands while any of them is compiled.
fn message_cfg(message: &Message<'_>) -> Option<String> {
    let mut alternatives: Vec<String> = Vec::new();
    let dep_cfg = message.dependency.map(|d| d.cfg.clone());
    let places = (message.place.iter().chain(&message.imports))
        .map(|f| f.cfg.iter().map(|c| c.to_string()).collect::<Vec<_>>());
    for predicates in dep_cfg.into_iter().chain(places) {
        if predicates.is_empty() {
            return None;
        }
        alternatives.push(format!("all({})", predicates.join(", ")));
    }
    Some(format!("any({})", alternatives.join(", ")))
}

/// `#[cfg(…)]` for a message, or `None` when its predicate does not parse.
fn cfg_attr(message: &Message<'_>) -> Option<TokenStream> {
    match message_cfg(message) {
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

/// A warning for each file the crate names that was not read (a FIFO, a device, too large):
/// a daemonizing call in it would go unseen, so the build says so.
pub(crate) fn skipped(skipped: &[(PathBuf, String)]) -> TokenStream {
    let mut out = TokenStream::new();
    for (path, reason) in skipped {
        let text = format!(
            "twelve_factor did not read {}: {reason}; a daemonizing call in it would not be found",
            display_path(path)
        );
        out.extend(warning(Span::call_site(), TokenStream::new(), &text));
    }
    out
}

/// All the tokens to append to the expansion.
pub(crate) fn emit(groups: &[Group<'_>], included: &[PathBuf], main: &MainSpans) -> TokenStream {
    let mut out = TokenStream::new();
    for message in messages(groups) {
        let Some(cfg) = cfg_attr(&message) else {
            continue;
        };
        let span = (message.place.iter().chain(&message.imports))
            .find_map(|f| main.get(&f.file, f.pos))
            .unwrap_or_else(Span::call_site);
        let text = self::message(&message);
        out.extend(match message.severity {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::rules::catalogue;

    fn finding(path: &str, line: u32, import: bool) -> Finding {
        let segments: Vec<String> = path.split("::").map(str::to_owned).collect();
        Finding {
            entry: catalogue::lookup(&segments).expect("a banned path"),
            title: path.to_owned(),
            written: None,
            file: PathBuf::from("/c/src/main.rs"),
            pos: Pos { line, col: 5 },
            cfg: Vec::new(),
            import,
        }
    }

    fn first_lines(findings: &[Finding], deps: &[BannedDependency]) -> Vec<String> {
        messages(&group(findings, deps))
            .iter()
            .map(|m| message(m).lines().next().unwrap_or_default().to_owned())
            .collect()
    }

    #[test]
    fn one_message_per_use_with_imports_noted_on_the_first() {
        let findings = [
            finding("libc::fork", 1, true),
            finding("libc::fork", 4, false),
            finding("libc::fork", 6, false),
        ];
        let all = messages(&group(&findings, &[]));
        assert_eq!(all.len(), 2);
        assert!(message(&all[0]).contains("= note: imported at /c/src/main.rs:1:5"));
        assert!(!message(&all[1]).contains("imported at"));
        let first = message(&all[0]);
        let first = first.lines().next().unwrap_or_default();
        assert_eq!(
            first,
            "`libc::fork` in /c/src/main.rs:4:5 is banned: the process must not daemonize"
        );
    }

    #[test]
    fn fork_result_is_part_of_its_fork() {
        let findings = [
            finding("nix::unistd::fork", 4, false),
            finding("nix::unistd::ForkResult", 5, false),
            finding("nix::unistd::ForkResult", 6, false),
        ];
        assert_eq!(
            first_lines(&findings, &[]),
            ["`nix::unistd::fork` in /c/src/main.rs:4:5 is banned: the process must not daemonize"]
        );
        // Alone, it is the use.
        assert_eq!(first_lines(&findings[1..2], &[]).len(), 1);
    }

    #[test]
    fn a_banned_crate_is_one_error_at_each_use_or_at_its_manifest_line() {
        let dep = |key: &str| BannedDependency {
            key: key.to_owned(),
            package: "daemonize".to_owned(),
            line: 12,
            entry: catalogue::lookup(&["daemonize".to_owned()]).expect("banned"),
            cfg: Vec::new(),
        };
        assert_eq!(
            first_lines(&[], &[dep("daemonize")]),
            ["`daemonize` in Cargo.toml:12 ([dependencies]) is banned: the process must not daemonize"]
        );
        let deps = [dep("bg")];
        let uses = [finding("daemonize", 3, false)];
        let all = messages(&group(&uses, &deps));
        assert_eq!(all.len(), 1);
        let text = message(&all[0]);
        assert!(
            text.starts_with("`daemonize` in /c/src/main.rs:3:5 is banned"),
            "{text}"
        );
        assert!(text.contains("= note: Cargo.toml:12 ([dependencies] as `bg`) pulls the crate in"));
        assert!(text.contains("= help: remove it from [dependencies]"));
    }
}
