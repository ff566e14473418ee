//! The cheap path: decides from a file's raw text whether it needs lexing at all.
//!
//! The proc macro is built at opt-level 0 in users' dev builds, where a generic substring search
//! (`str::contains(&str)`) is compiled into this crate unoptimised and takes ~30 ms per word on a
//! 4 MB crate. Searching for one byte (`str::find(char)`) runs the standard library's optimised
//! `memchr` instead. So every word gets an *anchor*: its rarest byte in typical Rust source; one
//! `memchr` pass per anchor finds the few places where a word could start, and only those are
//! compared.

/// Printable ASCII from rarest to most common in Rust source, measured over 12 MB of popular
/// crates' sources (tokio, syn, serde, axum, hyper, regex-syntax, clap, tracing-subscriber). A
/// word's anchor is its rarest byte; non-ASCII bytes are never anchors.
const RARITY: &[u8] = br##"%~@QZX^JYj+$GK975?W*864H|UVM3DzBNL2FqPOCI#0AR!-E<\T1&xS][>v=k`;wy"}{bg.h_mpfd:c)(u,'l/oinsarte"##;

/// A set of words to look for, grouped by anchor byte.
pub(crate) struct Prefilter {
    /// `(anchor, [(word, offset of the anchor in the word)])`.
    groups: Vec<(char, Vec<(String, usize)>)>,
    /// Selects every file (for tests that must read everything).
    all: bool,
}

impl Prefilter {
    /// Builds the searcher; empty words are ignored.
    pub(crate) fn new<'a>(words: impl IntoIterator<Item = &'a str>) -> Prefilter {
        let mut groups: Vec<(char, Vec<(String, usize)>)> = Vec::new();
        for word in words {
            let Some((offset, anchor)) = word
                .bytes()
                .enumerate()
                .filter(|(_, byte)| byte.is_ascii())
                .min_by_key(|(_, byte)| {
                    RARITY
                        .iter()
                        .position(|b| b == byte)
                        .unwrap_or(RARITY.len())
                })
            else {
                continue;
            };
            let anchor = char::from(anchor);
            match groups.iter_mut().find(|(a, _)| *a == anchor) {
                Some((_, group)) => group.push((word.to_owned(), offset)),
                None => groups.push((anchor, vec![(word.to_owned(), offset)])),
            }
        }
        Prefilter { groups, all: false }
    }

    /// A prefilter that selects every file.
    #[cfg(test)]
    pub(crate) fn everything() -> Prefilter {
        Prefilter {
            groups: Vec::new(),
            all: true,
        }
    }

    /// Whether `text` contains any of the words.
    #[cfg(test)]
    pub(crate) fn matches(&self, text: &str) -> bool {
        self.any_hit(text, |_, _| true)
    }

    /// Whether some occurrence of a word (its byte offset and the word) satisfies `judge`.
    pub(crate) fn any_hit(&self, text: &str, mut judge: impl FnMut(usize, &str) -> bool) -> bool {
        if self.all {
            return true;
        }
        let bytes = text.as_bytes();
        for (anchor, group) in &self.groups {
            // One searcher per anchor (`memchr` inside); each occurrence is first checked on the
            // word's first and last bytes, plain indexing, before the whole word is compared.
            for (at, _) in text.match_indices(*anchor) {
                for (word, offset) in group {
                    let word = word.as_bytes();
                    let (Some(start), Some(&first), Some(&last)) =
                        (at.checked_sub(*offset), word.first(), word.last())
                    else {
                        continue;
                    };
                    let end = start + word.len();
                    if end > bytes.len() || bytes[start] != first || bytes[end - 1] != last {
                        continue;
                    }
                    if &bytes[start..end] == word
                        && judge(start, text.get(start..end).unwrap_or(""))
                    {
                        return true;
                    }
                }
            }
        }
        false
    }
}

/// Whether `text` may declare a module from a file (`mod name;`) or include a file
/// (`include!(`): then it must be lexed to walk the crate. A superset: comments and strings can
/// match too, which costs only the lexing.
pub(crate) fn may_load_files(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(found) = text.get(from..).and_then(|rest| rest.find('m')) {
        let at = from + found;
        from = at + 1;
        if bytes.get(at..at + 3) != Some(b"mod") {
            continue;
        }
        if at > 0
            && bytes
                .get(at - 1)
                .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
        {
            continue;
        }
        let mut i = at + 3;
        let space = skip(bytes, &mut i, |b| b.is_ascii_whitespace());
        let name = skip(bytes, &mut i, |b| {
            b.is_ascii_alphanumeric() || b == b'_' || b == b'#' || b >= 0x80
        });
        skip(bytes, &mut i, |b| b.is_ascii_whitespace());
        if space > 0 && name > 0 && bytes.get(i) == Some(&b';') {
            return true;
        }
    }
    let mut from = 0;
    while let Some(found) = text.get(from..).and_then(|rest| rest.find('!')) {
        let at = from + found;
        from = at + 1;
        if at >= 7 && bytes.get(at - 7..at) == Some(b"include") {
            return true;
        }
    }
    false
}

/// Advances `i` over bytes matching `pred`; returns how many.
fn skip(bytes: &[u8], i: &mut usize, pred: impl Fn(u8) -> bool) -> usize {
    let start = *i;
    while bytes.get(*i).is_some_and(|b| pred(*b)) {
        *i += 1;
    }
    *i - start
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_words_by_anchor() {
        let filter = Prefilter::new(["fork", "daemon", "setsid", ".pid\"", "bg"]);
        assert!(filter.matches("unsafe { libc::fork() }"));
        assert!(filter.matches("use daemonize::Daemonize;"));
        assert!(filter.matches("fs::write(\"/run/x.pid\", id)"));
        assert!(filter.matches("bg::start()"));
        assert!(!filter.matches("fn handler() -> Result<(), Error> { Ok(()) }"));
        assert!(!filter.matches(""));
        assert!(filter.matches("fork"));
    }

    #[test]
    fn module_declarations() {
        assert!(may_load_files("mod a;"));
        assert!(may_load_files("pub mod r#async ;"));
        assert!(may_load_files("include!(\"x.rs\");"));
        assert!(!may_load_files("mod tests { fn t() {} } let model = mode;"));
        assert!(!may_load_files("include_str!(\"x\")"));
    }
}
