//! The cheap path: decides from a file's raw text whether it needs lexing at all.
//!
//! The proc macro is built at opt-level 0 in users' dev builds, where a generic substring search
//! (`str::contains(&str)`) is compiled into this crate unoptimised and takes ~30 ms per word on a
//! 4 MB crate. So every word gets an *anchor*: its rarest byte in typical Rust source; one pass of
//! the C library's `memchr` per anchor ([`bytes`]) finds the places where a word could start, a
//! set of the byte pairs around the anchor drops most of them, and only the rest are compared.

use crate::detect::syntax::bytes;

/// Printable ASCII from rarest to most common in Rust source, measured over 12 MB of popular
/// crates' sources (tokio, syn, serde, axum, hyper, regex-syntax, clap, tracing-subscriber). A
/// word's anchor is its rarest byte; non-ASCII bytes are never anchors.
const RARITY: &[u8] = br##"%~@QZX^JYj+$GK975?W*864H|UVM3DzBNL2FqPOCI#0AR!-E<\T1&xS][>v=k`;wy"}{bg.h_mpfd:c)(u,'l/oinsarte"##;

/// A set of words to look for, grouped by anchor byte.
pub(crate) struct Prefilter {
    groups: Vec<Group>,
    /// Selects every file (for tests that must read everything).
    all: bool,
}

/// The words sharing one anchor byte.
struct Group {
    anchor: u8,
    /// `(word, offset of the anchor in the word)`.
    words: Vec<(String, usize)>,
    /// A 65,536-bit set of the (byte before, byte after) pairs around the anchor that some word
    /// of the group has; a word whose anchor starts or ends it admits every byte on that side.
    /// Most occurrences of a common anchor byte fail this one test, so the words are compared
    /// at few places.
    around: Vec<u64>,
}

impl Group {
    fn new(anchor: u8) -> Group {
        Group {
            anchor,
            words: Vec::new(),
            around: vec![0; 65_536 / 64],
        }
    }

    fn add(&mut self, word: &str, offset: usize) {
        let bytes = word.as_bytes();
        let before = match offset.checked_sub(1) {
            Some(i) => bytes[i]..=bytes[i],
            None => 0..=u8::MAX,
        };
        let after = match bytes.get(offset + 1) {
            Some(&b) => b..=b,
            None => 0..=u8::MAX,
        };
        for b in before {
            for a in after.clone() {
                let key = usize::from(b) << 8 | usize::from(a);
                self.around[key / 64] |= 1 << (key % 64);
            }
        }
        self.words.push((word.to_owned(), offset));
    }

    /// Whether a word of the group may stand around the anchor at `at` (false only when none can).
    fn may_match_at(&self, bytes: &[u8], at: usize) -> bool {
        if at == 0 || at + 1 >= bytes.len() {
            return true;
        }
        let key = usize::from(bytes[at - 1]) << 8 | usize::from(bytes[at + 1]);
        self.around[key / 64] & (1 << (key % 64)) != 0
    }
}

impl Prefilter {
    /// Builds the searcher; empty words are ignored.
    pub(crate) fn new<'a>(words: impl IntoIterator<Item = &'a str>) -> Prefilter {
        let mut groups: Vec<Group> = Vec::new();
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
            let at = match groups.iter().position(|group| group.anchor == anchor) {
                Some(at) => at,
                None => {
                    groups.push(Group::new(anchor));
                    groups.len() - 1
                }
            };
            groups[at].add(word, offset);
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
        for group in &self.groups {
            // One `memchr` pass per anchor; each occurrence is first checked on the bytes around
            // it, then on each word's first and last bytes, before a whole word is compared.
            for at in bytes::positions(bytes, group.anchor) {
                if !group.may_match_at(bytes, at) {
                    continue;
                }
                for (word, offset) in &group.words {
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
    while let Some(at) = bytes::find(bytes, from, b'm') {
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
    for at in bytes::positions(bytes, b'!') {
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
