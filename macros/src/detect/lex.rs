//! A small, panic-free Rust lexer that keeps line and column for every token.
//!
//! The compiler's own lexer (`proc_macro::TokenStream::from_str`) gives every token the call-site
//! span, so an error could not say where in which file a daemonizing call stands. This lexer is
//! only run on the few files the [prefilter](super::prefilter) selects, so being written in plain
//! Rust (built at opt-level 0 in users' dev builds) costs little.
//!
//! Comments (doc comments included) and whitespace are dropped; string literals keep their value.

use std::rc::Rc;

/// A 1-based line and a 1-based column counted in characters, as rustc prints them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(crate) struct Pos {
    pub line: u32,
    pub col: u32,
}

/// The delimiter of a [`Tree::Group`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Delim {
    Paren,
    Bracket,
    Brace,
}

/// One token tree, like `proc_macro2::TokenTree` but with a position.
#[derive(Clone, Debug)]
pub(crate) enum Tree {
    /// An identifier or keyword; `r#` is stripped from raw identifiers.
    Ident { name: String, pos: Pos },
    /// One punctuation character; `joint` when the next character is punctuation too.
    Punct { ch: char, joint: bool, pos: Pos },
    /// A literal; `string` holds the value of (raw) string literals, `number` the value of
    /// decimal integer literals.
    Lit {
        string: Option<String>,
        number: Option<u64>,
        pos: Pos,
    },
    /// A lifetime or label such as `'a`.
    Lifetime { pos: Pos },
    /// A delimited group. `text` is its source text without the delimiters, kept only for the
    /// parentheses after `cfg` (copying every group's text would cost more than the lexing).
    Group {
        delim: Delim,
        pos: Pos,
        children: Rc<[Tree]>,
        text: Rc<str>,
    },
}

impl Tree {
    /// Where the token (or the group's opening delimiter) starts.
    pub(crate) fn pos(&self) -> Pos {
        match self {
            Tree::Ident { pos, .. }
            | Tree::Punct { pos, .. }
            | Tree::Lit { pos, .. }
            | Tree::Lifetime { pos }
            | Tree::Group { pos, .. } => *pos,
        }
    }

    /// The identifier's name, if this is one.
    pub(crate) fn ident(&self) -> Option<&str> {
        match self {
            Tree::Ident { name, .. } => Some(name),
            _ => None,
        }
    }

    /// Whether this is the identifier (or keyword) `word`.
    pub(crate) fn is_ident(&self, word: &str) -> bool {
        self.ident() == Some(word)
    }

    /// Whether this is the punctuation character `ch`.
    pub(crate) fn is_punct(&self, ch: char) -> bool {
        matches!(self, Tree::Punct { ch: c, .. } if *c == ch)
    }

    /// The group's delimiter and children, if this is a group.
    pub(crate) fn group(&self) -> Option<(Delim, &Rc<[Tree]>)> {
        match self {
            Tree::Group {
                delim, children, ..
            } => Some((*delim, children)),
            _ => None,
        }
    }

    /// The value of a string literal.
    pub(crate) fn string(&self) -> Option<&str> {
        match self {
            Tree::Lit {
                string: Some(value),
                ..
            } => Some(value),
            _ => None,
        }
    }
}

/// Lexes `text` into token trees. Never fails: anything unexpected is skipped, unclosed groups
/// are closed at the end of the text and stray closing delimiters are ignored.
pub(crate) fn lex(text: &str) -> Rc<[Tree]> {
    let mut cursor = Cursor {
        text,
        bytes: text.as_bytes(),
        at: 0,
        pos: Pos { line: 1, col: 1 },
    };
    if text.starts_with("#!") && !text.starts_with("#![") {
        cursor.skip_line();
    }
    // Each frame: delimiter, opening position, byte offset after the opener, children so far.
    let mut stack: Vec<(Delim, Pos, usize, Vec<Tree>)> = Vec::new();
    let mut top: Vec<Tree> = Vec::new();
    while let Some(byte) = cursor.peek(0) {
        let pos = cursor.pos;
        let tree = match byte {
            b' ' | b'\t' | b'\n' | b'\r' => {
                cursor.bump();
                continue;
            }
            b'/' if cursor.peek(1) == Some(b'/') => {
                cursor.skip_line();
                continue;
            }
            b'/' if cursor.peek(1) == Some(b'*') => {
                cursor.skip_block_comment();
                continue;
            }
            b'(' | b'[' | b'{' => {
                cursor.bump();
                let delim = match byte {
                    b'(' => Delim::Paren,
                    b'[' => Delim::Bracket,
                    _ => Delim::Brace,
                };
                stack.push((delim, pos, cursor.at, std::mem::take(&mut top)));
                continue;
            }
            b')' | b']' | b'}' => {
                let close_at = cursor.at;
                cursor.bump();
                let delim = match byte {
                    b')' => Delim::Paren,
                    b']' => Delim::Bracket,
                    _ => Delim::Brace,
                };
                if stack.last().map(|frame| frame.0) != Some(delim) {
                    continue;
                }
                let Some((delim, open, start, parent)) = stack.pop() else {
                    continue;
                };
                let children = std::mem::replace(&mut top, parent);
                let after_cfg =
                    delim == Delim::Paren && top.last().is_some_and(|t| t.is_ident("cfg"));
                Tree::Group {
                    delim,
                    pos: open,
                    children: children.into(),
                    text: if after_cfg {
                        text.get(start..close_at).unwrap_or("").into()
                    } else {
                        Rc::from("")
                    },
                }
            }
            b'"' => cursor.string(pos),
            b'\'' => cursor.quote(pos),
            b'0'..=b'9' => cursor.number(pos),
            b'a'..=b'z' | b'A'..=b'Z' | b'_' | 0x80..=0xff => cursor.word(pos),
            b'!' | b'#' | b'$' | b'%' | b'&' | b'*' | b'+' | b',' | b'-' | b'.' | b'/' | b':'
            | b';' | b'<' | b'=' | b'>' | b'?' | b'@' | b'^' | b'|' | b'~' => {
                cursor.bump();
                let joint = cursor.peek(0).is_some_and(is_punct);
                Tree::Punct {
                    ch: char::from(byte),
                    joint,
                    pos,
                }
            }
            _ => {
                cursor.bump();
                continue;
            }
        };
        top.push(tree);
    }
    while let Some((delim, open, start, parent)) = stack.pop() {
        let children = std::mem::replace(&mut top, parent);
        top.push(Tree::Group {
            delim,
            pos: open,
            children: children.into(),
            text: text.get(start..).unwrap_or("").into(),
        });
    }
    top.into()
}

fn is_punct(byte: u8) -> bool {
    b"!#$%&*+,-./:;<=>?@^|~".contains(&byte)
}

fn is_ident_continue(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_' || byte >= 0x80
}

/// The read position in the text.
struct Cursor<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    pos: Pos,
}

impl Cursor<'_> {
    fn peek(&self, ahead: usize) -> Option<u8> {
        self.bytes.get(self.at + ahead).copied()
    }

    /// Advances one byte, keeping line and (character) column.
    fn bump(&mut self) {
        let Some(byte) = self.peek(0) else { return };
        self.at += 1;
        if byte == b'\n' {
            self.pos.line += 1;
            self.pos.col = 1;
        } else if !(0x80..0xc0).contains(&byte) {
            self.pos.col += 1;
        }
    }

    fn skip_line(&mut self) {
        while let Some(byte) = self.peek(0) {
            if byte == b'\n' {
                break;
            }
            self.bump();
        }
    }

    fn skip_block_comment(&mut self) {
        let mut depth = 0usize;
        while let Some(byte) = self.peek(0) {
            if byte == b'/' && self.peek(1) == Some(b'*') {
                depth += 1;
                self.bump();
            } else if byte == b'*' && self.peek(1) == Some(b'/') {
                depth = depth.saturating_sub(1);
                self.bump();
                self.bump();
                if depth == 0 {
                    return;
                }
                continue;
            }
            self.bump();
        }
    }

    /// An identifier, keyword, raw identifier, or a prefixed literal (`b"…"`, `r#"…"#`, …).
    fn word(&mut self, pos: Pos) -> Tree {
        let start = self.at;
        while self.peek(0).is_some_and(is_ident_continue) {
            self.bump();
        }
        let word = self.text.get(start..self.at).unwrap_or("");
        let next = self.peek(0);
        match (word, next) {
            ("r" | "br" | "cr", Some(b'"' | b'#')) if self.raw_string_ahead() => {
                self.raw_string(pos)
            }
            ("b" | "c", Some(b'"')) => self.string(pos),
            ("b", Some(b'\'')) => self.quote(pos),
            ("r", Some(b'#'))
                if self
                    .peek(1)
                    .is_some_and(|b| is_ident_continue(b) && !b.is_ascii_digit()) =>
            {
                self.bump();
                let start = self.at;
                while self.peek(0).is_some_and(is_ident_continue) {
                    self.bump();
                }
                Tree::Ident {
                    name: self.text.get(start..self.at).unwrap_or("").to_owned(),
                    pos,
                }
            }
            _ => Tree::Ident {
                name: word.to_owned(),
                pos,
            },
        }
    }

    /// After `r`: `#`* then `"`.
    fn raw_string_ahead(&self) -> bool {
        let mut ahead = 0;
        while self.peek(ahead) == Some(b'#') {
            ahead += 1;
        }
        self.peek(ahead) == Some(b'"')
    }

    fn raw_string(&mut self, pos: Pos) -> Tree {
        let mut hashes = 0;
        while self.peek(0) == Some(b'#') {
            hashes += 1;
            self.bump();
        }
        self.bump(); // the opening quote
        let start = self.at;
        loop {
            match self.peek(0) {
                None => {
                    let value = self.text.get(start..).unwrap_or("").to_owned();
                    return Tree::Lit {
                        string: Some(value),
                        number: None,
                        pos,
                    };
                }
                Some(b'"') if (1..=hashes).all(|k| self.peek(k) == Some(b'#')) => {
                    let value = self.text.get(start..self.at).unwrap_or("").to_owned();
                    for _ in 0..=hashes {
                        self.bump();
                    }
                    return Tree::Lit {
                        string: Some(value),
                        number: None,
                        pos,
                    };
                }
                Some(_) => self.bump(),
            }
        }
    }

    /// A `"…"` string (the cursor is on the quote); escapes are decoded.
    fn string(&mut self, pos: Pos) -> Tree {
        self.bump();
        let mut value = String::new();
        let mut run = self.at;
        loop {
            match self.peek(0) {
                None => break,
                Some(b'"') => {
                    value.push_str(self.text.get(run..self.at).unwrap_or(""));
                    self.bump();
                    break;
                }
                Some(b'\\') => {
                    value.push_str(self.text.get(run..self.at).unwrap_or(""));
                    self.bump();
                    self.escape(&mut value);
                    run = self.at;
                }
                Some(_) => self.bump(),
            }
        }
        Tree::Lit {
            string: Some(value),
            number: None,
            pos,
        }
    }

    /// After a backslash: decodes one escape into `out`.
    fn escape(&mut self, out: &mut String) {
        let Some(byte) = self.peek(0) else { return };
        self.bump();
        match byte {
            b'n' => out.push('\n'),
            b't' => out.push('\t'),
            b'r' => out.push('\r'),
            b'0' => out.push('\0'),
            b'\n' => {
                while self.peek(0).is_some_and(|b| b.is_ascii_whitespace()) {
                    self.bump();
                }
            }
            b'x' => {
                let hex = self.text.get(self.at..self.at + 2).unwrap_or("");
                if let Ok(code) = u8::from_str_radix(hex, 16) {
                    out.push(char::from(code));
                    self.bump();
                    self.bump();
                }
            }
            b'u' if self.peek(0) == Some(b'{') => {
                let start = self.at + 1;
                while self.peek(0).is_some_and(|b| b != b'}' && b != b'"') {
                    self.bump();
                }
                let hex = self.text.get(start..self.at).unwrap_or("").replace('_', "");
                if let Some(ch) = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    out.push(ch);
                }
                if self.peek(0) == Some(b'}') {
                    self.bump();
                }
            }
            other if other.is_ascii() => out.push(char::from(other)),
            _ => {}
        }
    }

    /// A character literal or a lifetime (the cursor is on the quote).
    fn quote(&mut self, pos: Pos) -> Tree {
        self.bump();
        if self.peek(0) == Some(b'\\') {
            while let Some(byte) = self.peek(0) {
                self.bump();
                if byte == b'\'' || byte == b'\n' {
                    break;
                }
                if byte == b'\\' {
                    self.bump();
                }
            }
            return Tree::Lit {
                string: None,
                number: None,
                pos,
            };
        }
        // One character (possibly multi-byte), then a quote: a char literal.
        let width = match self.peek(0) {
            Some(b) if b < 0x80 => 1,
            Some(b) if b >= 0xf0 => 4,
            Some(b) if b >= 0xe0 => 3,
            Some(_) => 2,
            None => {
                return Tree::Lit {
                    string: None,
                    number: None,
                    pos,
                }
            }
        };
        if self.peek(width) == Some(b'\'') {
            for _ in 0..=width {
                self.bump();
            }
            return Tree::Lit {
                string: None,
                number: None,
                pos,
            };
        }
        while self.peek(0).is_some_and(is_ident_continue) {
            self.bump();
        }
        Tree::Lifetime { pos }
    }

    fn number(&mut self, pos: Pos) -> Tree {
        let start = self.at;
        while let Some(byte) = self.peek(0) {
            let fraction = byte == b'.' && self.peek(1).is_some_and(|b| b.is_ascii_digit());
            if !(is_ident_continue(byte) || fraction) {
                break;
            }
            self.bump();
        }
        let literal = self.text.get(start..self.at).unwrap_or("");
        let digits: String = literal
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '_')
            .filter(|c| *c != '_')
            .collect();
        let decimal =
            !literal.starts_with("0x") && !literal.starts_with("0o") && !literal.starts_with("0b");
        Tree::Lit {
            string: None,
            number: digits.parse().ok().filter(|_| decimal),
            pos,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(trees: &[Tree]) -> Vec<String> {
        let mut out = Vec::new();
        for tree in trees {
            match tree {
                Tree::Ident { name, .. } => out.push(name.clone()),
                Tree::Punct { ch, .. } => out.push(ch.to_string()),
                Tree::Lit {
                    string: Some(s), ..
                } => out.push(format!("{s:?}")),
                Tree::Lit { .. } => out.push("lit".into()),
                Tree::Lifetime { .. } => out.push("'".into()),
                Tree::Group { children, .. } => {
                    out.push("(".into());
                    out.extend(names(children));
                    out.push(")".into());
                }
            }
        }
        out
    }

    #[test]
    fn drops_comments_and_keeps_strings() {
        let trees =
            lex("// fork\n/* a /* nested */ fork */ let s = \"fo\\\"rk\"; r#fork(); br##\"x\"##");
        assert_eq!(
            names(&trees),
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
    fn positions_are_one_based_characters() {
        let trees = lex("é;\n  x");
        assert_eq!(trees[1].pos(), Pos { line: 1, col: 2 });
        assert_eq!(trees[2].pos(), Pos { line: 2, col: 3 });
    }

    #[test]
    fn chars_and_lifetimes() {
        let trees = lex("'a' 'b fn f<'c>(x: &'c u8) { '\\n'; 'é'; }");
        assert_eq!(names(&trees)[..3], ["lit", "'", "fn"]);
    }

    #[test]
    fn never_panics_on_garbage() {
        for text in [
            "\"", "r#", "r##\"", "'", "'\\", "/*", "(((", ")]}", "b'", "\\u{", "0x", "\"\\u{zz",
        ] {
            let _ = lex(text);
        }
    }
}
