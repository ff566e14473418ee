//! The lexer: never a panic or an overflow on any text, every token inside the text and in
//! order, and on text made of known tokens, exactly those tokens back.

use super::{bytes_text, config, decode, small_stack, soup};
use crate::detect::syntax::lex::{lex, Delim, Kind, Level, Lexed};
use proptest::prelude::*;

/// Walks every token of `lexed` with a heap stack, checking that each lies inside the text,
/// after the one before it, and has a line and column; returns how many tokens it saw.
fn walk(lexed: &Lexed) -> Result<usize, TestCaseError> {
    let text = lexed.text();
    let lines = text.split('\n').count();
    let mut seen = 0usize;
    let mut stack: Vec<(Level<'_>, u32)> = vec![(lexed.top(), 0)];
    while let Some((level, floor)) = stack.pop() {
        let mut last = floor;
        for node in level.iter() {
            seen += 1;
            let at = node.at();
            prop_assert!(
                at as usize <= text.len(),
                "token at {} past {}",
                at,
                text.len()
            );
            prop_assert!(at >= last, "token at {} before {}", at, last);
            last = at;
            let pos = node.pos();
            prop_assert!(
                pos.line >= 1 && pos.line as usize <= lines,
                "{:?} of {}",
                pos,
                lines
            );
            prop_assert!(pos.col >= 1, "{:?}", pos);
            let _ = (
                node.inner_text(),
                node.string(),
                node.number(),
                node.ident(),
            );
            prop_assert_eq!(node.ident().is_some(), node.kind() == Kind::Ident);
            if let Some((_, inner)) = node.group() {
                stack.push((inner, at));
            }
        }
    }
    Ok(seen)
}

/// Lexes `text` on a small stack and walks the result: every token is reachable once.
fn lex_and_walk(text: String) -> Result<(), TestCaseError> {
    let (total, seen) = small_stack(move || {
        let lexed = lex(text);
        (lexed.len(), walk(&lexed))
    })?;
    prop_assert_eq!(seen?, total, "tokens not reachable from the top level");
    Ok(())
}

/// A token tree the lexer must give back as it was written.
#[derive(Clone, Debug)]
enum Tree {
    Ident(String),
    Punct(char),
    Str(String),
    Number(u32),
    Group(Delim, Vec<Tree>),
}

fn tree() -> impl Strategy<Value = Tree> {
    let leaf = prop_oneof![
        "[a-zA-Z_é][a-zA-Z0-9_é]{0,6}".prop_map(Tree::Ident),
        prop::sample::select(&b"!#$%&*+,-./:;<=>?@^|~"[..]).prop_map(|b| Tree::Punct(b as char)),
        r#"([a-z0-9 .é-]|\\n|\\t|\\"|\\\\){0,8}"#.prop_map(Tree::Str),
        any::<u32>().prop_map(Tree::Number),
    ];
    leaf.prop_recursive(6, 64, 6, |inner| {
        (
            prop::sample::select(vec![Delim::Paren, Delim::Bracket, Delim::Brace]),
            prop::collection::vec(inner, 0..6),
        )
            .prop_map(|(delim, kids)| Tree::Group(delim, kids))
    })
}

/// Whitespace and comments between tokens.
const SEPARATORS: &[&str] = &[
    " ",
    "\n",
    "\t",
    "\r\n",
    " /* c */ ",
    " // c\n",
    " /* /* n */ */ ",
    " /** d */ ",
    " /// d\n",
];

fn render(trees: &[Tree], seps: &mut impl Iterator<Item = &'static str>, out: &mut String) {
    for tree in trees {
        match tree {
            Tree::Ident(name) => out.push_str(name),
            Tree::Punct(ch) => out.push(*ch),
            Tree::Str(body) => {
                out.push('"');
                out.push_str(body);
                out.push('"');
            }
            Tree::Number(n) => out.push_str(&n.to_string()),
            Tree::Group(delim, kids) => {
                let (open, close) = match delim {
                    Delim::Paren => ('(', ')'),
                    Delim::Bracket => ('[', ']'),
                    Delim::Brace => ('{', '}'),
                };
                out.push(open);
                out.push_str(seps.next().unwrap_or(" "));
                render(kids, seps, out);
                out.push(close);
            }
        }
        out.push_str(seps.next().unwrap_or(" "));
    }
}

/// What a tree means, the same way for the model and for the lexer's output.
fn model(trees: &[Tree], out: &mut Vec<String>) {
    for tree in trees {
        let line = match tree {
            Tree::Ident(name) => format!("ident {name}"),
            Tree::Punct(ch) => format!("punct {ch}"),
            Tree::Str(body) => format!("str {}", decode(body)),
            Tree::Number(n) => format!("number {n}"),
            Tree::Group(delim, kids) => {
                out.push(format!("open {delim:?}"));
                model(kids, out);
                format!("close {delim:?}")
            }
        };
        out.push(line);
    }
}

fn lexed_model(level: Level<'_>, out: &mut Vec<String>) {
    for node in level.iter() {
        let line = match node.kind() {
            Kind::Ident => format!("ident {}", node.ident().unwrap_or("")),
            Kind::Punct { ch, .. } => format!("punct {}", ch as char),
            Kind::Str { .. } => format!("str {}", node.string().unwrap_or_default()),
            Kind::Lit => format!(
                "number {}",
                node.number().map_or("?".into(), |n| n.to_string())
            ),
            Kind::Lifetime => "lifetime".to_owned(),
            Kind::Group(delim) => {
                out.push(format!("open {delim:?}"));
                if let Some((_, inner)) = node.group() {
                    lexed_model(inner, out);
                }
                format!("close {delim:?}")
            }
        };
        out.push(line);
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_bytes_lex_to_tokens_inside_the_text(text in bytes_text(4096)) {
        lex_and_walk(text)?;
    }

    #[test]
    fn token_soup_lexes_to_tokens_inside_the_text(text in soup(400)) {
        lex_and_walk(text)?;
    }

    #[test]
    fn deep_unbalanced_soup_costs_heap_not_stack(
        opens in prop::collection::vec(prop::sample::select(&b"([{)]}"[..]), 0..20_000),
        bom in any::<bool>(),
    ) {
        let mut text = String::from(if bom { "\u{feff}" } else { "" });
        text.extend(opens.iter().map(|&b| b as char));
        lex_and_walk(text)?;
    }

    #[test]
    fn written_tokens_lex_back_as_written(
        trees in prop::collection::vec(tree(), 0..12),
        seps in prop::collection::vec(prop::sample::select(SEPARATORS), 1..64),
        bom in any::<bool>(),
    ) {
        let mut text = String::from(if bom { "\u{feff}" } else { "" });
        render(&trees, &mut seps.iter().copied().cycle(), &mut text);
        let mut expected = Vec::new();
        model(&trees, &mut expected);
        let lexed = lex(text.clone());
        let mut got = Vec::new();
        lexed_model(lexed.top(), &mut got);
        prop_assert_eq!(got, expected, "{:?}", text);
    }
}
