//! Which [prefilter](crate::detect::source::prefilter) hits matter. The word `fork` in a comment, in a longer
//! name (`forked`), as a method or field (`worker.fork()`, `opts.daemon`) or as the name of the
//! user's own function (`fn fork`) can never be a banned path, and real code is full of those.
//! A file whose hits are all of that kind is not lexed or checked at all.
//!
//! The decision is made on the raw text: one pass finds the comments (skipping strings, raw
//! strings and character literals, so `"//"` is no comment), with `str::find` (the standard
//! library's `memchr`) jumping between the few bytes that matter, so it costs little even at
//! opt-level 0. A hit inside a string literal counts (`Command::new("nohup")`,
//! `#[link_name = "daemon"]`).

use crate::detect::source::prefilter::Prefilter;
use crate::detect::syntax::bytes;
use crate::detect::syntax::lex::{
    block_comment_end, char_or_lifetime, raw_string, raw_string_ahead, string_end,
};
use std::collections::HashSet;

fn is_ident(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_' || byte >= 0x80
}

/// Whether `text` has a hit of `prefilter` that matters. `names` are the identifiers that can be
/// part of a banned path (a hit inside another identifier does not count).
pub(crate) fn relevant(prefilter: &Prefilter, text: &str, names: &HashSet<String>) -> bool {
    let bytes = text.as_bytes();
    let mut comments: Option<Vec<(usize, usize)>> = None;
    let mut declares_foreign: Option<bool> = None;
    prefilter.any_hit(text, |start, word| {
        let end = start + word.len();
        if word.bytes().all(is_ident) {
            let mut from = start;
            while from > 0 && is_ident(bytes[from - 1]) {
                from -= 1;
            }
            let mut to = end;
            while to < bytes.len() && is_ident(bytes[to]) {
                to += 1;
            }
            if !text.get(from..to).is_some_and(|name| names.contains(name)) {
                return false;
            }
            match before(bytes, from) {
                Before::Dot => return false,
                // The user's own function, unless an `extern` block may declare it.
                Before::Fn => {
                    if !*declares_foreign.get_or_insert_with(|| mentions_extern(text)) {
                        return false;
                    }
                }
                Before::Other => {}
            }
        }
        let comments = comments.get_or_insert_with(|| comment_ranges(text));
        let at = comments.partition_point(|&(s, _)| s <= start);
        !(at > 0 && comments.get(at - 1).is_some_and(|&(_, e)| start < e))
    })
}

enum Before {
    Dot,
    Fn,
    Other,
}

/// What stands before the identifier at `from`: a `.` (method or field), `fn`, or other.
fn before(bytes: &[u8], mut from: usize) -> Before {
    if from >= 2 && &bytes[from - 2..from] == b"r#" {
        from -= 2;
    }
    while from > 0 && bytes[from - 1].is_ascii_whitespace() {
        from -= 1;
    }
    if from >= 1 && bytes[from - 1] == b'.' && !(from >= 2 && bytes[from - 2] == b'.') {
        return Before::Dot;
    }
    if from >= 2 && &bytes[from - 2..from] == b"fn" && !(from >= 3 && is_ident(bytes[from - 3])) {
        return Before::Fn;
    }
    Before::Other
}

/// Whether the text contains the word `extern`.
fn mentions_extern(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(at) = bytes::find(bytes, from, b'x') {
        if at >= 1 && bytes.get(at - 1..at + 5) == Some(b"extern") {
            return true;
        }
        from = at + 1;
    }
    false
}

/// The byte ranges of the comments in `text`, in order.
pub(crate) fn comment_ranges(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    // The next occurrence of each interesting byte at or after `i` (searched again once passed,
    // so every byte is searched once per character).
    let chars = ['/', '"', '\''];
    let mut next: [Option<usize>; 3] = chars.map(|ch| text.find(ch));
    let mut i = 0;
    loop {
        let mut best: Option<usize> = None;
        for (slot, ch) in next.iter_mut().zip(chars) {
            if slot.is_some_and(|p| p < i) {
                *slot = text.get(i..).and_then(|rest| rest.find(ch)).map(|p| p + i);
            }
            if let Some(p) = *slot {
                best = Some(best.map_or(p, |b: usize| b.min(p)));
            }
        }
        let Some(at) = best else { break };
        i = match bytes[at] {
            b'/' if bytes.get(at + 1) == Some(&b'/') => {
                let end = text
                    .get(at..)
                    .and_then(|t| t.find('\n'))
                    .map_or(text.len(), |p| at + p);
                out.push((at, end));
                end
            }
            b'/' if bytes.get(at + 1) == Some(&b'*') => {
                let end = block_comment_end(text, at);
                out.push((at, end));
                end
            }
            b'"' => {
                // `r"…"`, `r#"…"#`, `br"…"`: find the `r` before the hashes.
                let mut r = at;
                while r > 0 && bytes[r - 1] == b'#' {
                    r -= 1;
                }
                let prefix_ok = |k: usize| k == 0 || !is_ident(bytes[k - 1]);
                let raw = r > 0
                    && bytes[r - 1] == b'r'
                    && (prefix_ok(r - 1)
                        || (r >= 2 && matches!(bytes[r - 2], b'b' | b'c') && prefix_ok(r - 2)))
                    && raw_string_ahead(bytes, r);
                if raw {
                    raw_string(text, r).2
                } else {
                    string_end(text, at + 1).1
                }
            }
            b'\'' => char_or_lifetime(bytes, at).0.max(at + 1),
            _ => at + 1,
        };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> HashSet<String> {
        ["fork", "daemon", "setsid", "nohup"]
            .map(str::to_owned)
            .into()
    }

    fn relevant_text(text: &str) -> bool {
        let prefilter = Prefilter::new(["fork", "daemon", "setsid", ".pid\"", "nohup"]);
        relevant(&prefilter, text, &names())
    }

    #[test]
    fn comments_skip_strings_and_chars() {
        let text =
            "let s = \"// no\"; // yes\nlet c = '\"'; /* a /* b */ c */ x r#\"/* no\"# '/' 'a";
        let ranges: Vec<&str> = comment_ranges(text)
            .iter()
            .map(|&(s, e)| &text[s..e])
            .collect();
        assert_eq!(ranges, ["// yes", "/* a /* b */ c */"]);
    }

    #[test]
    fn hits_that_matter() {
        assert!(relevant_text("unsafe { libc::fork() }"));
        assert!(relevant_text("use nix::unistd::{fork, setsid};"));
        assert!(relevant_text("Command::new(\"nohup\")"));
        assert!(relevant_text("fs::write(\"/run/x.pid\", id)"));
        assert!(relevant_text("extern \"C\" { fn fork() -> i32; }"));
        assert!(relevant_text("unsafe { r#fork() }"));
    }

    #[test]
    fn hits_that_do_not() {
        assert!(!relevant_text(
            "// we never fork\n/* nor daemon */ fn main() {}"
        ));
        assert!(!relevant_text(
            "let forked = worker.fork(); opts.daemon = true; x . setsid ()"
        ));
        assert!(!relevant_text("impl W { pub fn fork(&self) -> W { W } }"));
        assert!(!relevant_text("let daemonized = 1; struct Forker;"));
        assert!(!relevant_text("/// Calls `libc::fork`.\nfn f() {}"));
    }
}
