//! The lexer's output: a flat vector of tokens, group delimiters included, where a group
//! records the range of its children in a second vector of indices. [`Level`] (one level of
//! token trees) and [`Node`] (one tree) borrow from it and read like nested token trees, but
//! nothing nests in memory: building, walking and dropping a file nested 100,000 levels deep
//! costs heap, never stack.
//!
//! Tokens keep byte offsets only: identifiers and literals are ranges of the source text, string
//! values are decoded on demand, and line and column are computed for the few tokens that end up
//! in a message.

use crate::detect::syntax::bytes;
use std::borrow::Cow;
use std::cell::OnceCell;

/// A 1-based line and a 1-based column counted in characters, as rustc prints them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub(crate) struct Pos {
    pub line: u32,
    pub col: u32,
}

/// The delimiter of a group.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Delim {
    Paren,
    Bracket,
    Brace,
}

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// An identifier or keyword; the text range excludes a raw identifier's `r#`.
    Ident,
    /// One punctuation character; `joint` when the next character is punctuation too.
    Punct { ch: u8, joint: bool },
    /// A string literal; the range is its body between the quotes. `raw` bodies hold no escapes.
    Str { raw: bool },
    /// Any other literal (numbers, characters, byte characters); the range is its text.
    Lit,
    /// A lifetime or label such as `'a`.
    Lifetime,
    /// A delimited group; its children are `kids[start..end]`.
    Group(Delim),
}

/// One token. For a group, `start..end` index [`Lexed::kids`] and `close` is the byte offset of
/// its closing delimiter; otherwise `start..end` is a byte range of the text.
#[derive(Clone, Copy, Debug)]
pub(super) struct Tok {
    pub(super) kind: Kind,
    pub(super) at: u32,
    pub(super) start: u32,
    pub(super) end: u32,
    pub(super) close: u32,
}

/// A lexed file: the text, the tokens, and the children of every group.
pub(crate) struct Lexed {
    pub(super) text: String,
    pub(super) toks: Vec<Tok>,
    pub(super) kids: Vec<u32>,
    pub(super) top: (u32, u32),
    pub(super) lines: OnceCell<Vec<u32>>,
}

impl Lexed {
    /// The source text.
    pub(crate) fn text(&self) -> &str {
        &self.text
    }

    /// The top-level token trees.
    pub(crate) fn top(&self) -> Level<'_> {
        Level {
            lx: self,
            ids: self
                .kids
                .get(self.top.0 as usize..self.top.1 as usize)
                .unwrap_or(&[]),
        }
    }

    /// The children of group `id`, as a level (empty if `id` is no group).
    pub(crate) fn group_level(&self, id: u32) -> Level<'_> {
        let ids = match self.toks.get(id as usize) {
            Some(tok) if matches!(tok.kind, Kind::Group(_)) => self
                .kids
                .get(tok.start as usize..tok.end as usize)
                .unwrap_or(&[]),
            _ => &[],
        };
        Level { lx: self, ids }
    }

    /// How many tokens the file has.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.toks.len()
    }

    /// The line and column of a byte offset.
    pub(crate) fn pos(&self, offset: u32) -> Pos {
        let lines = self.lines.get_or_init(|| {
            let mut starts = vec![0u32];
            let mut from = 0usize;
            while let Some(at) = bytes::find(self.text.as_bytes(), from, b'\n') {
                from = at + 1;
                starts.push(u32::try_from(from).unwrap_or(u32::MAX));
            }
            starts
        });
        let line = lines.partition_point(|&start| start <= offset).max(1);
        let start = lines.get(line - 1).copied().unwrap_or(0) as usize;
        // rustc drops a byte-order mark before it counts columns.
        let start = if start == 0 && self.text.starts_with('\u{feff}') {
            3
        } else {
            start
        };
        let col = self
            .text
            .get(start..offset as usize)
            .map_or(0, |s| s.chars().count());
        Pos {
            line: u32::try_from(line).unwrap_or(u32::MAX),
            col: u32::try_from(col + 1).unwrap_or(u32::MAX),
        }
    }
}

/// The token trees of one level: a file's top level or a group's children.
#[derive(Clone, Copy)]
pub(crate) struct Level<'a> {
    lx: &'a Lexed,
    ids: &'a [u32],
}

impl<'a> Level<'a> {
    /// How many trees the level holds.
    pub(crate) fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether the level is empty.
    pub(crate) fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The tree at `i`.
    pub(crate) fn get(&self, i: usize) -> Option<Node<'a>> {
        let id = *self.ids.get(i)?;
        let tok = self.lx.toks.get(id as usize)?;
        Some(Node {
            lx: self.lx,
            id,
            tok,
        })
    }

    /// The trees in `range` (clamped).
    pub(crate) fn slice(&self, from: usize, to: usize) -> Level<'a> {
        let to = to.min(self.ids.len());
        Level {
            lx: self.lx,
            ids: self.ids.get(from.min(to)..to).unwrap_or(&[]),
        }
    }

    /// Splits the level on top-level occurrences of the punctuation `ch`.
    pub(crate) fn split(&self, ch: u8) -> Vec<Level<'a>> {
        let lx = self.lx;
        self.ids
            .split(|&id| {
                lx.toks
                    .get(id as usize)
                    .is_some_and(|t| matches!(t.kind, Kind::Punct { ch: c, .. } if c == ch))
            })
            .map(|ids| Level { lx, ids })
            .collect()
    }

    /// The file this level belongs to.
    pub(crate) fn lexed(&self) -> &'a Lexed {
        self.lx
    }

    /// Iterates over the trees.
    pub(crate) fn iter(&self) -> impl Iterator<Item = Node<'a>> + 'a {
        let this = *self;
        (0..this.len()).filter_map(move |i| this.get(i))
    }
}

/// One token tree, borrowed from its file.
#[derive(Clone, Copy)]
pub(crate) struct Node<'a> {
    lx: &'a Lexed,
    id: u32,
    tok: &'a Tok,
}

impl<'a> Node<'a> {
    /// What the token is.
    pub(crate) fn kind(&self) -> Kind {
        self.tok.kind
    }

    /// The token's index in its file (stable, for keys).
    pub(crate) fn id(&self) -> u32 {
        self.id
    }

    /// The byte offset where the token (or the group's opening delimiter) starts.
    pub(crate) fn at(&self) -> u32 {
        self.tok.at
    }

    /// The line and column where the token starts.
    #[cfg(test)]
    pub(crate) fn pos(&self) -> Pos {
        self.lx.pos(self.tok.at)
    }

    fn text(&self) -> &'a str {
        self.lx
            .text
            .get(self.tok.start as usize..self.tok.end as usize)
            .unwrap_or("")
    }

    /// The identifier's name, if this is one.
    pub(crate) fn ident(&self) -> Option<&'a str> {
        match self.tok.kind {
            Kind::Ident => Some(self.text()),
            _ => None,
        }
    }

    /// Whether this is the identifier (or keyword) `word`.
    pub(crate) fn is_ident(&self, word: &str) -> bool {
        self.ident() == Some(word)
    }

    /// Whether this is the punctuation character `ch`.
    pub(crate) fn is_punct(&self, ch: u8) -> bool {
        matches!(self.tok.kind, Kind::Punct { ch: c, .. } if c == ch)
    }

    /// Whether this is punctuation joined to the next character.
    pub(crate) fn is_joint(&self) -> bool {
        matches!(self.tok.kind, Kind::Punct { joint: true, .. })
    }

    /// Whether this is a literal (string or other).
    pub(crate) fn is_lit(&self) -> bool {
        matches!(self.tok.kind, Kind::Lit | Kind::Str { .. })
    }

    /// The group's delimiter and children, if this is a group.
    pub(crate) fn group(&self) -> Option<(Delim, Level<'a>)> {
        match self.tok.kind {
            Kind::Group(delim) => Some((delim, self.lx.group_level(self.id))),
            _ => None,
        }
    }

    /// The source text between a group's delimiters.
    pub(crate) fn inner_text(&self) -> &'a str {
        match self.tok.kind {
            Kind::Group(_) => self
                .lx
                .text
                .get(self.tok.at as usize + 1..self.tok.close as usize)
                .unwrap_or(""),
            _ => "",
        }
    }

    /// The value of a string literal, escapes decoded.
    pub(crate) fn string(&self) -> Option<Cow<'a, str>> {
        match self.tok.kind {
            Kind::Str { raw: true } => Some(Cow::Borrowed(self.text())),
            Kind::Str { raw: false } => {
                let body = self.text();
                if body.contains('\\') {
                    Some(Cow::Owned(unescape(body)))
                } else {
                    Some(Cow::Borrowed(body))
                }
            }
            _ => None,
        }
    }

    /// The value of a decimal integer literal.
    pub(crate) fn number(&self) -> Option<u64> {
        if self.tok.kind != Kind::Lit {
            return None;
        }
        let literal = self.text();
        if literal.starts_with("0x") || literal.starts_with("0o") || literal.starts_with("0b") {
            return None;
        }
        let digits: String = literal
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '_')
            .filter(|c| *c != '_')
            .collect();
        digits.parse().ok()
    }
}

/// Decodes the escapes of a string body.
pub(super) fn unescape(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('0') => out.push('\0'),
            Some('\n') => {
                while chars.peek().is_some_and(|c| c.is_whitespace()) {
                    chars.next();
                }
            }
            Some('x') => {
                let hex: String = chars.by_ref().take(2).collect();
                if let Ok(code) = u8::from_str_radix(&hex, 16) {
                    out.push(char::from(code));
                }
            }
            Some('u') => {
                let mut hex = String::new();
                for c in chars.by_ref() {
                    match c {
                        '{' | '_' => {}
                        '}' => break,
                        c => hex.push(c),
                    }
                }
                if let Some(ch) = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    out.push(ch);
                }
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

/// Keywords that never start a path.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false",
    "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref",
    "return", "static", "struct", "trait", "true", "type", "union", "unsafe", "use", "where",
    "while", "yield", "gen", "_",
];

/// Whether `name` is a keyword that cannot start a path.
pub(crate) fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}
