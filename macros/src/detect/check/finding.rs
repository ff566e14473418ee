//! What the check produces: one use of a banned API, or one heuristic match, as data. The
//! report groups and words them; nothing here knows how they are shown.

use crate::detect::rules::catalogue::{self, Entry, Rule};
use crate::detect::source::manifest::SuspectDependency;
use crate::detect::source::store::Store;
use crate::detect::syntax::lex::Pos;
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Severity {
    /// A banned API: a compile error.
    Error,
    /// A heuristic: a warning.
    Warning,
}

/// One use of a banned API (or one heuristic match) in the source.
#[derive(Clone, Debug)]
pub(crate) struct Finding {
    pub entry: &'static Entry,
    /// What the message names: the API, canonical (`nix::unistd::fork`, `daemonize` for any item
    /// of a banned crate), or what the heuristic matched.
    pub title: String,
    /// How it is written here, when that says more than `title` (a rename, a re-export).
    pub written: Option<String>,
    pub file: PathBuf,
    pub pos: Pos,
    /// `cfg` predicates that guard it.
    pub cfg: Vec<Rc<str>>,
    /// A `use` (or `extern crate`) line: listed after the places that call or name the API.
    pub import: bool,
}

impl Finding {
    /// Error or warning, from its entry.
    pub(crate) fn severity(&self) -> Severity {
        if self.entry.is_heuristic() {
            Severity::Warning
        } else {
            Severity::Error
        }
    }
}

/// The dependencies whose package name says "daemon" (a heuristic): one warning each, at its
/// line of `manifest` (the package's `Cargo.toml`).
pub(crate) fn suspect_dependencies(
    suspects: &[SuspectDependency],
    manifest: &Path,
) -> Vec<Finding> {
    let Some(entry) = catalogue::heuristic(Rule::DependencyName) else {
        return Vec::new();
    };
    suspects
        .iter()
        .map(|dep| Finding {
            entry,
            title: format!("`{}`", dep.package),
            written: None,
            file: manifest.to_path_buf(),
            pos: Pos {
                line: u32::try_from(dep.line).unwrap_or(0),
                col: 1,
            },
            cfg: Vec::new(),
            import: false,
        })
        .collect()
}

/// What a scan found.
#[derive(Default)]
pub(crate) struct Scanned {
    pub findings: Vec<Finding>,
    /// Files read through `include!` (rustc must rebuild when they change).
    pub included: Vec<PathBuf>,
    /// Files that exist but were not read (a FIFO, a device, too large), with the reason.
    pub skipped: Vec<(PathBuf, String)>,
    /// How many files were read, and how many of them lexed.
    #[cfg(test)]
    pub files: usize,
    #[cfg(test)]
    pub lexed: usize,
}

impl Scanned {
    /// The findings, with the files of `store` that were `include!`d.
    pub(crate) fn new(findings: Vec<Finding>, store: &Store<'_>) -> Scanned {
        let files: Vec<_> = (0..store.len()).filter_map(|id| store.file(id)).collect();
        Scanned {
            findings,
            included: (files.iter().filter(|f| f.included.get()))
                .map(|f| f.path.clone())
                .collect(),
            skipped: store.skipped(),
            #[cfg(test)]
            files: files.len(),
            #[cfg(test)]
            lexed: files.iter().filter(|f| f.is_lexed()).count(),
        }
    }
}
