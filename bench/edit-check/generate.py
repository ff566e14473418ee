#!/usr/bin/env python3
"""Generates the edit-check benchmark's twin crates: the same legitimate ~110k-line, 200-module
crate twice, once with `#[twelve_factor::main]` (crates/twelve) and once with `#[tokio::main]`
(crates/tokio). Each crate has its own `[workspace]`, so it is outside the repository's workspace.

A few modules mention banned words in comments, method names and fields, as real code does,
so the detector's lexing path runs on some files, not only its prefilter.

Usage: generate.py OUT_DIR [REPO_ROOT]
"""

import os
import sys

MODULES = 200
BLOCKS = 10  # ~55 lines each: ~560 lines per module


def block(m, k):
    return f'''
/// A record of kind {k} in module {m}.
#[derive(Debug, Clone, PartialEq)]
pub struct Record{k} {{
    pub id: u64,
    pub name: String,
    pub tags: Vec<String>,
    pub weight: f64,
}}

impl Record{k} {{
    pub fn new(id: u64, name: &str) -> Self {{
        Record{k} {{ id, name: name.to_owned(), tags: Vec::new(), weight: (id % 17) as f64 / 3.0 }}
    }}

    pub fn score(&self) -> f64 {{
        self.weight * self.tags.len() as f64 + self.id as f64 / 1000.0
    }}

    pub fn tagged(&self, tag: &str) -> bool {{
        self.tags.iter().any(|t| t == tag)
    }}
}}

impl fmt::Display for Record{k} {{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {{
        write!(f, "{{}}#{{}} ({{:.2}})", self.name, self.id, self.score())
    }}
}}

pub enum Event{k} {{
    Created(u64, String),
    Tagged {{ id: u64, tag: String }},
    Deleted(u64),
}}

pub fn apply_{k}(state: &mut Vec<Record{k}>, event: Event{k}) -> Result<usize, String> {{
    match event {{
        Event{k}::Created(id, name) => state.push(Record{k}::new(id, &name)),
        Event{k}::Tagged {{ id, tag }} => match state.iter_mut().find(|r| r.id == id) {{
            Some(record) => record.tags.push(tag),
            None => return Err(format!("no record {{id}} in m{m}")),
        }},
        Event{k}::Deleted(id) => state.retain(|r| r.id != id),
    }}
    Ok(state.len())
}}

pub fn totals_{k}(items: &[Record{k}]) -> HashMap<String, f64> {{
    let mut out = HashMap::new();
    for item in items {{
        *out.entry(item.name.clone()).or_insert(0.0) += item.score();
    }}
    out
}}
'''


LOOKALIKE = '''
/// Settings of a worker pool; this service is not a daemon, it runs in the foreground.
pub struct PoolSettings {
    pub daemon: bool,
    pub fork_join: bool,
}

impl PoolSettings {
    /// Splits the pool in two (a "fork" of the settings, not of the process).
    pub fn fork(&self) -> (PoolSettings, PoolSettings) {
        let half = PoolSettings { daemon: self.daemon, fork_join: self.fork_join };
        (half, PoolSettings { daemon: false, fork_join: true })
    }
}
'''


def module(m):
    parts = [f"//! Generated module m{m:03}.\n\nuse std::collections::HashMap;\nuse std::fmt;\n"]
    if m % 50 == 7:
        parts.append(LOOKALIKE)
    for k in range(BLOCKS):
        parts.append(block(m, k))
    parts.append(f'''
pub fn entry() -> usize {{
    let mut state = Vec::new();
    let _ = apply_0(&mut state, Event0::Created({m}, "m{m}".to_owned()));
    totals_0(&state).len() + state.len()
}}
''')
    return "".join(parts)


def main_rs(attribute):
    mods = "".join(f"mod m{m:03};\n" for m in range(MODULES))
    calls = " + ".join(f"m{m:03}::entry()" for m in range(0, MODULES, 20))
    return f'''//! The benchmark crate's root; `touch` this file and `cargo check` is the measured loop.
// Generated items are not all used; thousands of dead-code warnings would dominate the timing.
#![allow(dead_code)]

{mods}
{attribute}
async fn main() {{
    let total = {calls};
    println!("{{total}}");
}}
'''


def manifest(name, deps):
    return f'''[package]
name = "{name}"
version = "0.0.0"
edition = "2021"
publish = false

[workspace]

[dependencies]
{deps}
'''


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if os.path.exists(path) and open(path).read() == text:
        return
    with open(path, "w") as f:
        f.write(text)


def main():
    out = os.path.abspath(sys.argv[1])
    root = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "..", ".."))
    tokio = 'tokio = { version = "1.44", features = ["rt-multi-thread", "macros"] }'
    twins = {
        "twelve": ("#[twelve_factor::main]", f'twelvefactor = {{ path = "{root}" }}\n{tokio}'),
        "tokio": ("#[tokio::main]", tokio),
    }
    for name, (attribute, deps) in twins.items():
        crate = os.path.join(out, name)
        write(os.path.join(crate, "Cargo.toml"), manifest(f"edit_check_{name}", deps))
        write(os.path.join(crate, "src", "main.rs"), main_rs(attribute))
        for m in range(MODULES):
            write(os.path.join(crate, "src", f"m{m:03}.rs"), module(m))
    lines = sum(open(os.path.join(out, "twelve", "src", f)).read().count("\n") for f in os.listdir(os.path.join(out, "twelve", "src")))
    print(f"generated {MODULES + 1} files, {lines} lines per crate, in {out}")


if __name__ == "__main__":
    main()
