//! A small, panic-free Rust lexer into the flat [`tokens`](crate::detect::syntax::tokens) form.
//!
//! The compiler's own lexer (`proc_macro::TokenStream::from_str`) gives every token the call-site
//! span, so an error could not say where in which file a daemonizing call stands; and its token
//! trees nest, so dropping a deeply nested file recurses once per level. This one records byte
//! offsets and never nests. It is built at opt-level 0 in users' dev builds, so its hot loop is
//! plain indexing into byte tables, with `str::find` (the standard library's optimised `memchr`)
//! for comments and strings. Comments (doc comments included) and whitespace are dropped.
//! Anything unexpected is skipped; unclosed groups are closed at the end of the text and stray
//! closing delimiters are ignored, so lexing never fails.

use crate::detect::syntax::bytes;
use crate::detect::syntax::tokens::Tok;
pub(crate) use crate::detect::syntax::tokens::{Delim, Kind, Level, Lexed, Node, Pos};
use std::cell::OnceCell;

/// Byte classes, so the hot loop does no function calls at opt-level 0.
const IDENT: u8 = 1;
const PUNCT: u8 = 2;
const SPACE: u8 = 4;
const DIGIT: u8 = 8;

const CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        let mut class = 0;
        if c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80 {
            class |= IDENT;
        }
        if c.is_ascii_digit() {
            class |= DIGIT;
        }
        if matches!(
            c,
            b'!' | b'#'
                | b'$'
                | b'%'
                | b'&'
                | b'*'
                | b'+'
                | b','
                | b'-'
                | b'.'
                | b'/'
                | b':'
                | b';'
                | b'<'
                | b'='
                | b'>'
                | b'?'
                | b'@'
                | b'^'
                | b'|'
                | b'~'
        ) {
            class |= PUNCT;
        }
        if matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c) {
            class |= SPACE;
        }
        table[b] = class;
        b += 1;
    }
    table
};

fn off(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// Lexes `text`. Never fails.
pub(crate) fn lex(text: String) -> Lexed {
    let bytes = text.as_bytes();
    let n = bytes.len();
    let mut i = 0usize;
    if text.starts_with('\u{feff}') {
        i = 3;
    }
    if text
        .get(i..)
        .is_some_and(|t| t.starts_with("#!") && !t.starts_with("#!["))
    {
        i = text
            .get(i..)
            .and_then(|t| t.find('\n'))
            .map_or(n, |p| i + p);
    }
    let mut toks: Vec<Tok> = Vec::with_capacity(n / 5);
    let mut kids: Vec<u32> = Vec::with_capacity(n / 5);
    let mut pending: Vec<u32> = Vec::new();
    // Open groups: (token id, delimiter, where its children start in `pending`).
    let mut frames: Vec<(u32, Delim, usize)> = Vec::new();
    let push = |toks: &mut Vec<Tok>, pending: &mut Vec<u32>, tok: Tok| {
        pending.push(off(toks.len()));
        toks.push(tok);
    };
    while i < n {
        let b = bytes[i];
        let class = CLASS[b as usize];
        if class & SPACE != 0 {
            i += 1;
            continue;
        }
        let start = i;
        if class & IDENT != 0 && class & DIGIT == 0 {
            i += 1;
            while i < n && CLASS[bytes[i] as usize] & IDENT != 0 {
                i += 1;
            }
            let word = &bytes[start..i];
            let next = if i < n { bytes[i] } else { 0 };
            let raw_prefix = matches!(word, b"r" | b"br" | b"cr");
            if raw_prefix && (next == b'"' || next == b'#') && raw_string_ahead(bytes, i) {
                let (body_start, body_end, after) = raw_string(&text, i);
                i = after;
                push(
                    &mut toks,
                    &mut pending,
                    tok(Kind::Str { raw: true }, start, body_start, body_end),
                );
            } else if matches!(word, b"b" | b"c") && next == b'"' {
                let (body_end, after) = string_end(&text, i + 1);
                i = after;
                push(
                    &mut toks,
                    &mut pending,
                    tok(Kind::Str { raw: false }, start, start + 2, body_end),
                );
            } else if word == b"b" && next == b'\'' {
                i = char_or_lifetime(bytes, i).0;
                push(&mut toks, &mut pending, tok(Kind::Lit, start, start, i));
            } else if word == b"r"
                && next == b'#'
                && i + 1 < n
                && CLASS[bytes[i + 1] as usize] & IDENT != 0
                && CLASS[bytes[i + 1] as usize] & DIGIT == 0
            {
                i += 1;
                let name_start = i;
                while i < n && CLASS[bytes[i] as usize] & IDENT != 0 {
                    i += 1;
                }
                push(
                    &mut toks,
                    &mut pending,
                    tok(Kind::Ident, start, name_start, i),
                );
            } else {
                push(&mut toks, &mut pending, tok(Kind::Ident, start, start, i));
            }
            continue;
        }
        if class & DIGIT != 0 {
            i += 1;
            while i < n {
                let c = bytes[i];
                let fraction = c == b'.' && i + 1 < n && CLASS[bytes[i + 1] as usize] & DIGIT != 0;
                if CLASS[c as usize] & IDENT == 0 && !fraction {
                    break;
                }
                i += 1;
            }
            push(&mut toks, &mut pending, tok(Kind::Lit, start, start, i));
            continue;
        }
        match b {
            b'/' if i + 1 < n && bytes[i + 1] == b'/' => {
                i = text
                    .get(i..)
                    .and_then(|t| t.find('\n'))
                    .map_or(n, |p| i + p);
            }
            b'/' if i + 1 < n && bytes[i + 1] == b'*' => i = block_comment_end(&text, i),
            b'(' | b'[' | b'{' => {
                let delim = match b {
                    b'(' => Delim::Paren,
                    b'[' => Delim::Bracket,
                    _ => Delim::Brace,
                };
                frames.push((off(toks.len()), delim, pending.len()));
                toks.push(tok(Kind::Group(delim), start, 0, 0));
                i += 1;
            }
            b')' | b']' | b'}' => {
                let delim = match b {
                    b')' => Delim::Paren,
                    b']' => Delim::Bracket,
                    _ => Delim::Brace,
                };
                i += 1;
                if frames.last().map(|f| f.1) == Some(delim) {
                    close(&mut frames, &mut toks, &mut kids, &mut pending, start);
                }
            }
            b'"' => {
                let (body_end, after) = string_end(&text, i + 1);
                i = after;
                push(
                    &mut toks,
                    &mut pending,
                    tok(Kind::Str { raw: false }, start, start + 1, body_end),
                );
            }
            b'\'' => {
                let (after, lifetime) = char_or_lifetime(bytes, i);
                i = after;
                let kind = if lifetime { Kind::Lifetime } else { Kind::Lit };
                push(&mut toks, &mut pending, tok(kind, start, start, i));
            }
            _ if class & PUNCT != 0 => {
                i += 1;
                let joint = i < n && CLASS[bytes[i] as usize] & PUNCT != 0;
                push(
                    &mut toks,
                    &mut pending,
                    tok(Kind::Punct { ch: b, joint }, start, start, i),
                );
            }
            _ => i += 1,
        }
    }
    while !frames.is_empty() {
        close(&mut frames, &mut toks, &mut kids, &mut pending, n);
    }
    let top_start = off(kids.len());
    kids.append(&mut pending);
    let top = (top_start, off(kids.len()));
    Lexed {
        text,
        toks,
        kids,
        top,
        lines: OnceCell::new(),
    }
}

fn tok(kind: Kind, at: usize, start: usize, end: usize) -> Tok {
    Tok {
        kind,
        at: off(at),
        start: off(start),
        end: off(end),
        close: 0,
    }
}

/// Closes the innermost open group at byte offset `at`.
fn close(
    frames: &mut Vec<(u32, Delim, usize)>,
    toks: &mut [Tok],
    kids: &mut Vec<u32>,
    pending: &mut Vec<u32>,
    at: usize,
) {
    let Some((id, _, mark)) = frames.pop() else {
        return;
    };
    let start = off(kids.len());
    kids.extend(pending.drain(mark.min(pending.len())..));
    if let Some(group) = toks.get_mut(id as usize) {
        group.start = start;
        group.end = off(kids.len());
        group.close = off(at);
    }
    pending.push(id);
}

/// After `r`/`br`/`cr`: `#`* then `"`.
pub(crate) fn raw_string_ahead(bytes: &[u8], mut i: usize) -> bool {
    while i < bytes.len() && bytes[i] == b'#' {
        i += 1;
    }
    i < bytes.len() && bytes[i] == b'"'
}

/// A raw string from its hashes at `i`: (body start, body end, offset after it).
pub(crate) fn raw_string(text: &str, mut i: usize) -> (usize, usize, usize) {
    let bytes = text.as_bytes();
    let mut hashes = 0;
    while i < bytes.len() && bytes[i] == b'#' {
        hashes += 1;
        i += 1;
    }
    i += 1; // the opening quote
    let body = i;
    let mut from = i;
    while let Some(quote) = bytes::find(bytes, from, b'"') {
        let closes = (1..=hashes).all(|k| bytes.get(quote + k) == Some(&b'#'));
        if closes {
            return (body, quote, quote + 1 + hashes);
        }
        from = quote + 1;
    }
    (body.min(text.len()), text.len(), text.len())
}

/// A `"…"` string whose body starts at `i`: (body end, offset after the closing quote).
pub(crate) fn string_end(text: &str, i: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    let mut from = i;
    while let Some(quote) = bytes::find(bytes, from, b'"') {
        let mut backslashes = 0;
        while quote > backslashes + i && bytes[quote - backslashes - 1] == b'\\' {
            backslashes += 1;
        }
        if backslashes % 2 == 0 {
            return (quote, quote + 1);
        }
        from = quote + 1;
    }
    (text.len().max(i.min(text.len())), text.len())
}

/// The end of a (nested) block comment starting at `i`.
pub(crate) fn block_comment_end(text: &str, i: usize) -> usize {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut from = i;
    while let Some(star) = bytes::find(bytes, from, b'*') {
        // A slash right before the star opens, unless a `*/` just consumed it.
        if star > from && bytes[star - 1] == b'/' {
            depth += 1;
            from = star + 1;
        } else if bytes.get(star + 1) == Some(&b'/') {
            depth = depth.saturating_sub(1);
            from = star + 2;
            if depth == 0 {
                return from;
            }
        } else {
            from = star + 1;
        }
    }
    text.len()
}

/// A character literal or a lifetime at the quote `i`: (offset after it, whether a lifetime).
pub(crate) fn char_or_lifetime(bytes: &[u8], i: usize) -> (usize, bool) {
    let n = bytes.len();
    let mut j = i + 1;
    if j < n && bytes[j] == b'\\' {
        while j < n {
            let c = bytes[j];
            j += 1;
            if c == b'\'' || c == b'\n' {
                break;
            }
            if c == b'\\' {
                j += 1;
            }
        }
        return (j.min(n), false);
    }
    let width = match bytes.get(j) {
        Some(&c) if c < 0x80 => 1,
        Some(&c) if c >= 0xf0 => 4,
        Some(&c) if c >= 0xe0 => 3,
        Some(_) => 2,
        None => return (n, false),
    };
    if bytes.get(j + width) == Some(&b'\'') {
        return (j + width + 1, false);
    }
    while j < n && CLASS[bytes[j] as usize] & IDENT != 0 {
        j += 1;
    }
    (j, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(level: Level<'_>) -> Vec<String> {
        let mut out = Vec::new();
        for node in level.iter() {
            match node.kind() {
                Kind::Ident => out.push(node.ident().unwrap_or("").to_owned()),
                Kind::Punct { ch, .. } => out.push(char::from(ch).to_string()),
                Kind::Str { .. } => out.push(format!("{:?}", node.string().unwrap_or_default())),
                Kind::Lit => out.push("lit".into()),
                Kind::Lifetime => out.push("'".into()),
                Kind::Group(_) => {
                    out.push("(".into());
                    out.extend(names(
                        node.group().map(|g| g.1).unwrap_or(level.slice(0, 0)),
                    ));
                    out.push(")".into());
                }
            }
        }
        out
    }

    fn lexed(text: &str) -> Lexed {
        lex(text.to_owned())
    }

    #[test]
    fn drops_comments_and_keeps_strings() {
        let lx =
            lexed("// fork\n/* a /* nested */ fork */ let s = \"fo\\\"rk\"; r#fork(); br##\"x\"##");
        assert_eq!(
            names(lx.top()),
            [
                "let",
                "s",
                "=",
                "\"fo\\\"rk\"",
                ";",
                "fork",
                "(",
                ")",
                ";",
                "\"x\""
            ]
        );
    }

    #[test]
    fn comment_edge_cases() {
        assert_eq!(
            names(lexed("/**/ a /*/ b */ c /***/ d").top()),
            ["a", "c", "d"]
        );
        assert_eq!(names(lexed("/* /* */ x */ y").top()), ["y"]);
    }

    #[test]
    fn positions_are_one_based_characters() {
        let lx = lexed("é;\n  x");
        let top = lx.top();
        assert_eq!(top.get(1).map(|n| n.pos()), Some(Pos { line: 1, col: 2 }));
        assert_eq!(top.get(2).map(|n| n.pos()), Some(Pos { line: 2, col: 3 }));
    }

    #[test]
    fn byte_order_mark_and_shebang() {
        let lx = lexed("\u{feff}mod x;");
        assert_eq!(names(lx.top()), ["mod", "x", ";"]);
        assert_eq!(
            lx.top().get(0).map(|n| n.pos()),
            Some(Pos { line: 1, col: 1 })
        );
        assert_eq!(names(lexed("#!/usr/bin/env run\nfn").top()), ["fn"]);
        assert_eq!(names(lexed("#![allow(x)]").top())[..2], ["#", "!"]);
    }

    #[test]
    fn chars_and_lifetimes() {
        let lx = lexed("'a' 'b fn f<'c>(x: &'c u8) { '\\n'; 'é'; }");
        assert_eq!(names(lx.top())[..3], ["lit", "'", "fn"]);
    }

    #[test]
    fn deep_nesting_costs_heap_only() {
        let depth = 100_000;
        let text = format!("{}x{}", "(".repeat(depth), ")".repeat(depth));
        let lx = lexed(&text);
        assert_eq!(lx.len(), depth + 1);
        let mut level = lx.top();
        let mut seen = 0;
        while let Some((_, inner)) = level.get(0).and_then(|n| n.group()) {
            level = inner;
            seen += 1;
        }
        assert_eq!(seen, depth);
        let unclosed = lexed(&"{[(".repeat(depth));
        assert_eq!(unclosed.len(), 3 * depth);
    }

    #[test]
    fn group_text_and_numbers() {
        let lx = lexed("cfg(target_os = \"linux\") 1_000 0x1");
        let top = lx.top();
        assert_eq!(
            top.get(1).map(|n| n.inner_text()),
            Some("target_os = \"linux\"")
        );
        assert_eq!(top.get(2).and_then(|n| n.number()), Some(1000));
        assert_eq!(top.get(3).and_then(|n| n.number()), None);
    }

    #[test]
    fn never_panics_on_garbage() {
        for text in [
            "\"",
            "r#",
            "r##\"",
            "'",
            "'\\",
            "/*",
            "(((",
            ")]}",
            "b'",
            "\\u{",
            "0x",
            "\"\\u{zz",
            "\"\\",
            "b\"",
            "é'",
            "'é",
            "r\"",
            "/",
            "\u{feff}",
            "\u{feff}#!",
        ] {
            let lx = lexed(text);
            let _ = names(lx.top());
            for node in lx.top().iter() {
                let _ = (node.pos(), node.string(), node.number(), node.inner_text());
            }
        }
    }
}
