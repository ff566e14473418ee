//! The source store: every file the detector reads, once, by canonical identity.
//!
//! A file is read in full when first named (a `mod x;`, a `#[path]`, an `include!`) and run
//! through the [prefilter](crate::detect::source::prefilter); it is lexed only when something needs its tokens,
//! and then only once. Files are identified by their canonical path, so a directory symlinked to
//! itself or two `#[path]`s naming one file never make it read, walked or reported twice.
//!
//! The store only grows: a file, once added, never changes, so everything else can hold `&Store`.

use crate::detect::source::prefilter::Prefilter;
use crate::detect::source::relevance;
use crate::detect::syntax::lex::{self, Lexed};
use std::cell::{Cell, OnceCell, RefCell};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// Index of a file in the store.
pub(crate) type FileId = usize;

/// At most this many files are read (a guard against pathological trees).
const MAX_FILES: usize = 20_000;
/// Files larger than this are not read: lexing them inside `cargo check` would cost seconds.
pub(crate) const MAX_FILE_BYTES: u64 = 32 << 20;

/// Why a file was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Unread {
    /// It does not exist (a module compiled out, or one rustc reports itself).
    Missing,
    /// It exists but is not read; the reason reads after the path, as in
    /// "`x.rs`: a FIFO, not a regular file".
    Refused(String),
}

/// Where source text comes from: the disk in the macro, a map in unit tests.
pub(crate) trait Sources {
    /// The file's bytes, or why it is not read (then it is skipped).
    fn read(&self, path: &Path) -> Result<Vec<u8>, Unread>;
    /// The file's canonical identity (symlinks and `..` resolved), or `None` if it does not exist.
    fn canonical(&self, path: &Path) -> Option<PathBuf>;
}

/// One source file.
pub(crate) struct SourceFile {
    /// The path as the crate names it (for messages).
    pub path: PathBuf,
    /// A prefilter hit that matters (see [`relevance`]): the file is checked.
    pub hot: Cell<bool>,
    /// Read through `include!`.
    pub included: Cell<bool>,
    text: Cell<Option<String>>,
    lexed: OnceCell<Lexed>,
}

impl SourceFile {
    /// The tokens, lexing the file on first use.
    pub(crate) fn lexed(&self) -> &Lexed {
        self.lexed
            .get_or_init(|| lex::lex(self.text.take().unwrap_or_default()))
    }

    /// Runs `f` on the file's text, wherever it is kept now.
    fn with_text<T>(&self, f: impl FnOnce(&str) -> T) -> T {
        if let Some(lexed) = self.lexed.get() {
            return f(lexed.text());
        }
        let text = self.text.take();
        let out = f(text.as_deref().unwrap_or(""));
        self.text.set(text);
        out
    }

    /// Whether the file was lexed.
    #[cfg(test)]
    pub(crate) fn is_lexed(&self) -> bool {
        self.lexed.get().is_some()
    }
}

/// The outcome of [`Store::load`].
pub(crate) enum Load {
    /// Read now for the first time.
    New(FileId),
    /// Read before (by this or another path to the same file).
    Seen(FileId),
    /// Missing or unreadable.
    Missing,
}

/// Every file read so far.
pub(crate) struct Store<'s> {
    sources: &'s dyn Sources,
    prefilter: Prefilter,
    /// The identifiers that can be part of a banned path.
    names: HashSet<String>,
    files: RefCell<Vec<Rc<SourceFile>>>,
    ids: RefCell<HashMap<PathBuf, FileId>>,
    /// Files that exist but were not read, each once: identity, path, reason.
    skipped: RefCell<Vec<(PathBuf, PathBuf, String)>>,
}

impl<'s> Store<'s> {
    /// An empty store reading through `sources`.
    pub(crate) fn new(
        sources: &'s dyn Sources,
        prefilter: Prefilter,
        names: HashSet<String>,
    ) -> Store<'s> {
        Store {
            sources,
            prefilter,
            names,
            files: RefCell::new(Vec::new()),
            ids: RefCell::new(HashMap::new()),
            skipped: RefCell::new(Vec::new()),
        }
    }

    /// Reads `path` unless it was read already.
    pub(crate) fn load(&self, path: &Path) -> Load {
        let Some(identity) = self.sources.canonical(path) else {
            return Load::Missing;
        };
        if let Some(&id) = self.ids.borrow().get(&identity) {
            return Load::Seen(id);
        }
        if self.files.borrow().len() >= MAX_FILES {
            self.skip(
                identity,
                path,
                format!("the crate names more than {MAX_FILES} files"),
            );
            return Load::Missing;
        }
        let bytes = match self.sources.read(path) {
            Ok(bytes) => bytes,
            Err(Unread::Missing) => return Load::Missing,
            Err(Unread::Refused(reason)) => {
                self.skip(identity, path, reason);
                return Load::Missing;
            }
        };
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(error) => String::from_utf8_lossy(error.as_bytes()).into_owned(),
        };
        let hot = relevance::relevant(&self.prefilter, &text, &self.names);
        let mut files = self.files.borrow_mut();
        let id = files.len();
        files.push(Rc::new(SourceFile {
            path: path.to_path_buf(),
            hot: Cell::new(hot),
            included: Cell::new(false),
            text: Cell::new(Some(text)),
            lexed: OnceCell::new(),
        }));
        self.ids.borrow_mut().insert(identity, id);
        Load::New(id)
    }

    /// Notes that file `identity`, named `path`, exists but is not read: once per file, and
    /// at most 64 files (past that, more warnings say nothing new).
    fn skip(&self, identity: PathBuf, path: &Path, reason: String) {
        let mut skipped = self.skipped.borrow_mut();
        if skipped.len() < 64 && !skipped.iter().any(|(seen, _, _)| *seen == identity) {
            skipped.push((identity, path.to_path_buf(), reason));
        }
    }

    /// The files that exist but were not read, with the reason.
    pub(crate) fn skipped(&self) -> Vec<(PathBuf, String)> {
        let skipped = self.skipped.borrow();
        (skipped.iter())
            .map(|(_, path, reason)| (path.clone(), reason.clone()))
            .collect()
    }

    /// The file `id`.
    pub(crate) fn file(&self, id: FileId) -> Option<Rc<SourceFile>> {
        self.files.borrow().get(id).cloned()
    }

    /// How many files were read.
    pub(crate) fn len(&self) -> usize {
        self.files.borrow().len()
    }

    /// Marks file `id` as checked when it has a hit of `prefilter` among `names` (names found
    /// to stand for banned APIs after it was read).
    pub(crate) fn rescan(&self, id: FileId, prefilter: &Prefilter, names: &HashSet<String>) {
        let Some(file) = self.file(id) else {
            return;
        };
        if file.hot.get() {
            return;
        }
        let hot = file.with_text(|text| relevance::relevant(prefilter, text, names));
        file.hot.set(hot);
    }

    /// Whether the text of some file read so far satisfies `test`.
    pub(crate) fn any_text(&self, test: impl Fn(&str) -> bool) -> bool {
        (0..self.len()).any(|id| self.file(id).is_some_and(|file| file.with_text(&test)))
    }

    /// Whether file `id` may declare module files or include files (then the walk lexes it).
    pub(crate) fn may_load_files(&self, id: FileId) -> bool {
        self.file(id)
            .is_some_and(|file| file.with_text(crate::detect::source::prefilter::may_load_files))
    }
}

/// Removes `.` and `..` components without touching the file system (so that messages show
/// `tests/support/x.rs`, not `tests/ui/../support/x.rs`).
pub(crate) fn normalize(path: &Path) -> PathBuf {
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// An in-memory file system for tests; `links` maps a directory to the one it points at,
    /// `refused` holds paths that exist but are not read (a FIFO, a device), with the reason.
    #[derive(Default)]
    pub(crate) struct Memory {
        pub files: HashMap<PathBuf, Vec<u8>>,
        pub links: Vec<(PathBuf, PathBuf)>,
        pub refused: HashMap<PathBuf, String>,
    }

    impl Memory {
        pub(crate) fn new(files: &[(&str, &str)]) -> Memory {
            Memory {
                files: files
                    .iter()
                    .map(|(p, t)| (PathBuf::from(p), t.as_bytes().to_vec()))
                    .collect(),
                links: Vec::new(),
                refused: HashMap::new(),
            }
        }

        fn resolve(&self, path: &Path) -> PathBuf {
            let mut path = normalize(path);
            for _ in 0..64 {
                let Some((from, to)) = self.links.iter().find(|(from, _)| path.starts_with(from))
                else {
                    break;
                };
                let rest = path
                    .strip_prefix(from)
                    .map(Path::to_path_buf)
                    .unwrap_or_default();
                path = normalize(&to.join(rest));
            }
            path
        }
    }

    impl Sources for Memory {
        fn read(&self, path: &Path) -> Result<Vec<u8>, Unread> {
            let path = self.resolve(path);
            match self.refused.get(&path) {
                Some(reason) => Err(Unread::Refused(reason.clone())),
                None => self.files.get(&path).cloned().ok_or(Unread::Missing),
            }
        }

        fn canonical(&self, path: &Path) -> Option<PathBuf> {
            let path = self.resolve(path);
            (self.files.contains_key(&path) || self.refused.contains_key(&path)).then_some(path)
        }
    }

    #[test]
    fn one_identity_per_file() {
        let mut memory = Memory::new(&[("/c/src/a.rs", "x")]);
        memory
            .links
            .push((PathBuf::from("/c/src/loop"), PathBuf::from("/c/src")));
        let store = Store::new(
            &memory,
            Prefilter::new(["x"]),
            HashSet::from(["x".to_owned()]),
        );
        assert!(matches!(store.load(Path::new("/c/src/a.rs")), Load::New(0)));
        assert!(matches!(
            store.load(Path::new("/c/src/loop/loop/a.rs")),
            Load::Seen(0)
        ));
        assert!(matches!(
            store.load(Path::new("/c/src/b.rs")),
            Load::Missing
        ));
        assert!(store.file(0).is_some_and(|f| f.hot.get()));
    }

    #[test]
    fn invalid_utf8_is_read_lossily() {
        let mut memory = Memory::default();
        memory
            .files
            .insert(PathBuf::from("/c/a.rs"), b"\xff\xfe fork() {}".to_vec());
        let store = Store::new(
            &memory,
            Prefilter::new(["fork"]),
            HashSet::from(["fork".to_owned()]),
        );
        assert!(matches!(store.load(Path::new("/c/a.rs")), Load::New(0)));
        let file = store.file(0).expect("file");
        assert!(file.hot.get());
        assert!(file.lexed().len() >= 4);
    }
}
