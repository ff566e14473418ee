#!/usr/bin/env python3
"""Generates the edit-check benchmark's twin crates: each pair is the same legitimate crate
twice, once with `#[twelve_factor::main]` (OUT_DIR/PAIR/twelve) and once with `#[tokio::main]`
(OUT_DIR/PAIR/tokio). Each crate has its own `[workspace]`, so it is outside the repository's
workspace.

Pairs:
- `modules`: ~110k lines in 200 modules. A few modules mention banned words in comments,
  method names and fields, as real code does, so the detector's lexing path runs on some files,
  not only its prefilter.
- `globs`: modules that glob-import each other in cycles (`use super::*`, `pub use
  crate::mNN::*` around a ring, `use crate::mPP::*` back), thousands of `Ok(..)`/`Some(..)`
  calls and parameters (names no import provides), and the word fork in comments and `.fork()`
  methods in every file, so no file is skipped by the prefilter.
- `bigfile`: one module file of 30,000 small functions that mentions fork in a comment.

Usage: generate.py OUT_DIR [REPO_ROOT] [PAIR...]   (default: every pair)
With SAME_DEPS=1 in the environment, the `tokio` crate depends on twelvefactor too (unused).
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


def root_rs(attribute, mods, total, allows="dead_code"):
    """The crate root: `touch` this file and `cargo check` is the measured loop."""
    return f'''//! The benchmark crate's root; `touch` this file and `cargo check` is the measured loop.
// Generated items are not all used; thousands of dead-code warnings would dominate the timing.
#![allow({allows})]

{mods}
{attribute}
async fn main() {{
    let total = {total};
    println!("{{total}}");
}}
'''


def main_rs(attribute):
    mods = "".join(f"mod m{m:03};\n" for m in range(MODULES))
    calls = " + ".join(f"m{m:03}::entry()" for m in range(0, MODULES, 20))
    return root_rs(attribute, mods, calls)


GLOB_MODULES = 48
GLOB_RING = 8  # modules per glob cycle
GLOB_FNS = 40  # functions per module, each with a dozen `Ok`/`Some` and its parameters


def glob_module(m):
    ring = m - m % GLOB_RING
    nxt = ring + (m + 1) % GLOB_RING
    prev = ring + (m - 1) % GLOB_RING
    parts = [f'''//! Generated glob-cycle module g{m:02}: a worker record can fork() a copy of itself (a
//! value, not a process); nothing here forks.

use super::*;
pub use crate::g{nxt:02}::*;
use crate::g{prev:02}::*;
use std::collections::HashMap;

/// A worker record of module {m}.
#[derive(Debug, Clone, Default)]
pub struct Worker{m} {{
    pub id: u32,
    pub load: Option<u32>,
}}

impl Worker{m} {{
    /// Forks the record: a copy with a fresh id (fork as in "fork a copy").
    pub fn fork(&self) -> Self {{
        Worker{m} {{ id: self.id + 1, load: self.load }}
    }}
}}
''']
    for k in range(GLOB_FNS):
        parts.append(f'''
pub fn step_{m}_{k}(input: Option<u32>, table: &HashMap<u32, u32>, worker: &Worker{m}) -> Result<u32, String> {{
    // fork the worker before measuring it
    let forked = worker.fork();
    let first = Some(input.unwrap_or({k}));
    let second = match first {{
        Some(value) => Ok(value + forked.id),
        None => Err(format!("no input in g{m:02}")),
    }};
    let looked_up = table.get(&{k}).copied().or(Some(0));
    let checked: Result<u32, String> = Ok(looked_up.unwrap_or_default());
    match (second, checked) {{
        (Ok(a), Ok(b)) => Ok(a + b + forked.load.unwrap_or(0)),
        (Err(e), _) | (_, Err(e)) => Err(e),
    }}
}}
''')
    parts.append(f'''
pub fn entry_{m}() -> usize {{
    let table = HashMap::new();
    let worker = Worker{m}::default();
    step_{m}_0(Some({m}), &table, &worker).map(|v| v as usize).unwrap_or(0)
}}
''')
    return "".join(parts)


def glob_main_rs(attribute):
    mods = "".join(f"mod g{m:02};\n" for m in range(GLOB_MODULES))
    calls = " + ".join(f"g{m:02}::entry_{m}()" for m in range(0, GLOB_MODULES, 8))
    # The glob imports are there for the detector; most names are never used through them.
    return root_rs(attribute, mods, calls, allows="dead_code, unused_imports")


BIG_FNS = 30000


def big_rs():
    parts = ["//! One generated file of small functions. It mentions fork in this comment only.\n"]
    for i in range(BIG_FNS):
        parts.append(f"\npub fn f{i}(x: u64) -> u64 {{\n    x.wrapping_mul({i + 1}) ^ {i}\n}}\n")
    return "".join(parts)


def big_main_rs(attribute):
    return root_rs(attribute, "mod big;\n", "big::f1(2) + big::f29999(3)")


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


def modules_pair(attribute):
    files = {"main.rs": main_rs(attribute)}
    for m in range(MODULES):
        files[f"m{m:03}.rs"] = module(m)
    return files


def globs_pair(attribute):
    files = {"main.rs": glob_main_rs(attribute)}
    for m in range(GLOB_MODULES):
        files[f"g{m:02}.rs"] = glob_module(m)
    return files


def bigfile_pair(attribute):
    return {"main.rs": big_main_rs(attribute), "big.rs": big_rs()}


PAIRS = {"modules": modules_pair, "globs": globs_pair, "bigfile": bigfile_pair}


def main():
    out = os.path.abspath(sys.argv[1])
    root = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "..", ".."))
    pairs = sys.argv[3:] or list(PAIRS)
    tokio = 'tokio = { version = "1.44", features = ["rt-multi-thread", "macros"] }'
    twelve = f'twelvefactor = {{ path = "{root}" }}\n{tokio}'
    # SAME_DEPS=1: the `tokio` crate depends on twelvefactor too (unused), so both sides have
    # the same dependency graph and the ratio is the attribute's own cost, without cargo's
    # per-build fingerprint check of one more path dependency.
    same_deps = os.environ.get("SAME_DEPS") == "1"
    twins = {
        "twelve": ("#[twelve_factor::main]", twelve),
        "tokio": ("#[tokio::main]", twelve if same_deps else tokio),
    }
    for pair in pairs:
        if pair not in PAIRS:
            sys.exit(f"unknown pair {pair!r}; one of {', '.join(PAIRS)}")
        for name, (attribute, deps) in twins.items():
            crate = os.path.join(out, pair, name)
            write(os.path.join(crate, "Cargo.toml"), manifest(f"edit_check_{pair}_{name}", deps))
            files = PAIRS[pair](attribute)
            for file, text in files.items():
                write(os.path.join(crate, "src", file), text)
        src = os.path.join(out, pair, "twelve", "src")
        lines = sum(open(os.path.join(src, f)).read().count("\n") for f in os.listdir(src))
        print(f"generated {pair}: {len(files)} files, {lines} lines per crate, in {os.path.join(out, pair)}")


if __name__ == "__main__":
    main()
