//! The TOML and manifest readers: never a panic on any text, every entry on a line of the
//! text, generated documents read back entry by entry, and generated manifests' banned
//! dependencies found in the normal sections only, on their own lines.

use super::{bytes_text, config, decode, small_stack};
use crate::detect::source::manifest;
use crate::detect::source::toml::{parse, Entry, Value};
use proptest::prelude::*;

/// Fragments of TOML, whole and broken.
const TOML_SOUP: &[&str] = &[
    "[",
    "]",
    "[[",
    "]]",
    "{",
    "}",
    "=",
    ",",
    ".",
    "\"",
    "'",
    "'''",
    "\"\"\"",
    "\\",
    "#",
    "\n",
    " ",
    "\t",
    "\r\n",
    "a",
    "b-c",
    "dependencies",
    "dev-dependencies",
    "target",
    "features",
    "package",
    "lib",
    "workspace",
    "path",
    "optional",
    "version",
    "true",
    "false",
    "1",
    "\"0.5\"",
    "'cfg(unix)'",
    "daemonize",
    "fork",
    "nix",
    "dep:",
    "é",
    "\u{feff}",
    "\u{0}",
];

fn toml_soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TOML_SOUP), 0..300).prop_map(|parts| parts.concat())
}

/// Both readers on `text`, on a small stack; every entry's line is one of the text's.
fn read_all(text: String) -> Result<(), TestCaseError> {
    let lines = text.split('\n').count();
    let (entries, banned) = small_stack(move || {
        let entries = parse(&text);
        let manifest = manifest::parse(&text, Some(&text));
        let _ = manifest::is_workspace_root(&text);
        let banned: Vec<usize> = manifest.banned.iter().map(|b| b.line).collect();
        (entries, banned)
    })?;
    for entry in &entries {
        prop_assert!(
            entry.line >= 1 && entry.line <= lines,
            "{:?} of {}",
            entry,
            lines
        );
    }
    for line in banned {
        prop_assert!(
            line >= 1 && line <= lines,
            "banned at {} of {}",
            line,
            lines
        );
    }
    Ok(())
}

/// A string value and how it is written (basic with escapes, or literal).
fn string() -> impl Strategy<Value = (String, String)> {
    prop_oneof![
        r#"([a-z0-9 ._:/é-]|\\n|\\t|\\"|\\\\){0,10}"#
            .prop_map(|written| { (decode(&written), format!("\"{written}\"")) }),
        "[a-z0-9 ._:/é\"-]{0,10}".prop_map(|value| (value.clone(), format!("'{value}'"))),
    ]
}

/// A value and how it is written.
fn value() -> impl Strategy<Value = (Value, String)> {
    let scalar = prop_oneof![
        string().prop_map(|(value, written)| (Value::Str(value), written)),
        any::<bool>().prop_map(|b| (Value::Bool(b), b.to_string())),
    ];
    let inline =
        prop::collection::vec(("[a-z][a-z0-9_-]{0,6}", scalar.clone()), 0..4).prop_map(|fields| {
            let written: Vec<String> = fields
                .iter()
                .map(|(k, (_, w))| format!("{k} = {w}"))
                .collect();
            let value = fields.into_iter().map(|(k, (v, _))| (k, v)).collect();
            (Value::Table(value), format!("{{ {} }}", written.join(", ")))
        });
    let array = prop::collection::vec(scalar.clone(), 0..4).prop_map(|items| {
        let written: Vec<&str> = items.iter().map(|(_, w)| w.as_str()).collect();
        let sep = if written.len() > 2 { ",\n  " } else { ", " };
        let value = items.iter().map(|(v, _)| v.clone()).collect();
        (Value::Array(value), format!("[{}]", written.join(sep)))
    });
    prop_oneof![scalar, inline, array]
}

/// A table: its header's key and its entries.
type Table = (Vec<String>, Vec<(String, (Value, String))>);

fn table() -> impl Strategy<Value = Table> {
    (
        prop::collection::vec("[a-z][a-z0-9_-]{0,6}", 0..3),
        prop::collection::vec(("[a-z][a-z0-9_-]{0,6}", value()), 0..5),
    )
}

/// Writes `tables` as a document and returns it with the entries it holds.
fn document(tables: &[Table], comments: bool) -> (String, Vec<Entry>) {
    let mut text = String::new();
    let mut line = 1;
    let mut entries = Vec::new();
    for (i, (header, fields)) in tables.iter().enumerate() {
        if i > 0 || !header.is_empty() {
            text.push_str(&format!("[{}]\n", header.join(".")));
            line += 1;
        }
        for (key, (value, written)) in fields {
            let mut full = header.clone();
            full.push(key.clone());
            entries.push(Entry {
                key: full,
                value: value.clone(),
                line,
            });
            text.push_str(&format!("{key} = {written}"));
            if comments {
                text.push_str(" # a comment = [\"x\"]\n# another\n");
                line += 1;
            } else {
                text.push('\n');
            }
            line += 1 + written.matches('\n').count();
        }
    }
    (text, entries)
}

/// A dependency line in one of the three sections, in one of the ways cargo accepts.
#[derive(Clone, Debug)]
struct Dependency {
    section: &'static str,
    key: String,
    package: &'static str,
    form: u8,
}

fn dependency() -> impl Strategy<Value = Dependency> {
    (
        prop::sample::select(vec![
            "dependencies",
            "dev-dependencies",
            "build-dependencies",
            "target.'cfg(unix)'.dependencies",
        ]),
        "[a-z][a-z0-9_]{0,6}",
        prop::sample::select(vec!["daemonize", "serde", "tokio", "libc"]),
        0..3u8,
    )
        .prop_map(|(section, key, package, form)| Dependency {
            section,
            key,
            package,
            form,
        })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_bytes_read_without_panic(text in bytes_text(4096)) {
        read_all(text)?;
    }

    #[test]
    fn toml_soup_reads_without_panic(text in toml_soup()) {
        read_all(text)?;
    }

    #[test]
    fn written_documents_read_back(
        tables in prop::collection::vec(table(), 0..5),
        comments in any::<bool>(),
    ) {
        let (text, expected) = document(&tables, comments);
        prop_assert_eq!(parse(&text), expected, "{}", text);
    }

    #[test]
    fn banned_dependencies_are_the_normal_ones_on_their_lines(
        deps in prop::collection::vec(dependency(), 0..8),
    ) {
        let mut text = String::from("[package]\nname = \"svc\"\n");
        let mut line = 3;
        let mut expected = Vec::new();
        let mut keys = std::collections::HashSet::new();
        for dep in &deps {
            // Two entries under one key are a manifest cargo refuses; keep keys distinct.
            if !keys.insert(dep.key.clone()) || dep.key == dep.package {
                continue;
            }
            let (written, lines, at) = match dep.form {
                0 => (format!("[{}]\n{} = {{ package = \"{}\", version = \"1\" }}\n", dep.section, dep.key, dep.package), 2, 1),
                1 => (format!("[{}.{}]\npackage = \"{}\"\nversion = \"1\"\n", dep.section, dep.key, dep.package), 3, 1),
                _ => (format!("[{}]\n{}.package = \"{}\"\n{}.version = \"1\"\n", dep.section, dep.key, dep.package, dep.key), 3, 1),
            };
            let normal = !dep.section.contains("dev-") && !dep.section.contains("build-");
            if normal && dep.package == "daemonize" {
                expected.push((dep.key.clone(), line + at));
            }
            text.push_str(&written);
            line += lines;
        }
        let manifest = manifest::parse(&text, None);
        let mut found: Vec<(String, usize)> =
            manifest.banned.iter().map(|b| (b.key.clone(), b.line)).collect();
        found.sort();
        expected.sort();
        prop_assert_eq!(found, expected, "{}", text);
    }
}
