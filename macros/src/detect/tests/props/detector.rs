//! The whole detector over generated crates of hostile files: soup, arbitrary bytes, deep
//! nesting, files that declare and include each other in cycles, directories linked into
//! themselves. It never panics or overflows, finishes in bounded time, reports every finding
//! once at a place inside its file, and turns them into distinct messages.

use super::{config, small_stack, soup, timed};
use crate::detect::report;
use crate::detect::scan_crate;
use crate::detect::source::store::tests::Memory;
use proptest::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The files a generated crate may hold; any of them may name any other.
const FILES: &[&str] = &[
    "/c/src/main.rs",
    "/c/src/a.rs",
    "/c/src/b.rs",
    "/c/src/a/mod.rs",
    "/c/src/a/c.rs",
    "/c/src/inc.rs",
];

/// Lines that load files: every layout, cycles back to the root, paths that go nowhere.
const LOADS: &[&str] = &[
    "mod a;",
    "mod b;",
    "pub mod c;",
    "#[path = \"b.rs\"] mod pb;",
    "#[path = \"../main.rs\"] mod up;",
    "#[path = \"main.rs\"] mod again;",
    "#[path = \"a/c.rs\"] mod ac;",
    "#[path = \"/dev/zero\"] mod zero;",
    "#[path = \"nowhere/x.rs\"] mod gone;",
    "#[path = \"fifo.rs\"] mod fifo;",
    "include!(\"/dev/urandom\");",
    "include!(\"a/fifo.rs\");",
    "include!(\"inc.rs\");",
    "include!(\"../inc.rs\");",
    "include!(\"main.rs\");",
    "mod inline { mod a; include!(\"inc.rs\"); }",
    "#[cfg(any())] mod b;",
    "fn main() { unsafe { libc::fork(); nix::unistd::daemon(false, false).ok(); } }",
    "use libc::setsid as s; fn g() { unsafe { s(); } }",
];

/// One file's content: soup, arbitrary bytes, or deep nesting, with load lines mixed in.
fn content() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        3 => (soup(120), prop::collection::vec(prop::sample::select(LOADS), 0..6)).prop_map(
            |(soup, loads)| {
                let mut text = loads.join("\n");
                text.push('\n');
                text.push_str(&soup);
                text.into_bytes()
            }
        ),
        1 => prop::collection::vec(any::<u8>(), 0..2048),
        1 => (1..5000usize, prop::sample::select(vec!["(", "{", "[", "mod m {"]))
            .prop_map(|(depth, open)| format!("mod a; {} libc::fork()", open.repeat(depth)).into_bytes()),
    ]
}

fn crate_files() -> impl Strategy<Value = (Vec<Option<Vec<u8>>>, bool)> {
    (
        prop::collection::vec(prop::option::weighted(0.8, content()), FILES.len()),
        any::<bool>(),
    )
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn hostile_crates_scan_in_bounded_time_with_single_errors((files, link) in crate_files()) {
        let mut memory = Memory::default();
        let mut texts = HashMap::new();
        for (path, bytes) in FILES.iter().zip(files) {
            // The root always exists: without it there is nothing to scan.
            let bytes = bytes.unwrap_or_else(|| if *path == FILES[0] { b"mod a;".to_vec() } else { Vec::new() });
            texts.insert(PathBuf::from(path), String::from_utf8_lossy(&bytes).into_owned());
            memory.files.insert(PathBuf::from(path), bytes);
        }
        for special in ["/dev/zero", "/dev/urandom"] {
            memory.refused.insert(PathBuf::from(special), "a device, not a regular file".into());
        }
        for fifo in ["/c/src/fifo.rs", "/c/src/a/fifo.rs"] {
            memory.refused.insert(PathBuf::from(fifo), "a FIFO, not a regular file".into());
        }
        if link {
            memory.links.push((PathBuf::from("/c/src/a/a"), PathBuf::from("/c/src/a")));
        }
        let ((findings, messages, skipped), took) = small_stack(move || timed(|| {
            let renames = HashMap::from([("bg".to_owned(), "daemonize".to_owned())]);
            let scanned = scan_crate(Path::new("/c/src/main.rs"), &memory, &renames, true, &[]);
            let groups = report::group(&scanned.findings, &[]);
            let messages: Vec<String> =
                report::messages(&groups).iter().map(report::message).collect();
            let findings: Vec<(PathBuf, u32, u32, String)> = scanned
                .findings
                .iter()
                .map(|f| (f.file.clone(), f.pos.line, f.pos.col, f.title.clone()))
                .collect();
            (findings, messages, scanned.skipped)
        }))?;
        prop_assert!(took < Duration::from_secs(10), "took {:?} of CPU", took);
        let mut seen = HashSet::new();
        for (file, line, col, title) in &findings {
            prop_assert!(seen.insert((file, line, col, title)), "twice: {:?} {}:{} {}", file, line, col, title);
            // A file read through the link is reported by the path that reached it.
            let mut real = file.display().to_string();
            while real.contains("/a/a/") {
                real = real.replacen("/a/a/", "/a/", 1);
            }
            let text = texts.get(Path::new(&real)).map(String::as_str).unwrap_or("");
            let lines = text.split('\n').count() as u32;
            prop_assert!(*line >= 1 && *line <= lines && *col >= 1, "{:?}:{}:{} of {} lines", file, line, col, lines);
        }
        let skipped_paths: HashSet<&PathBuf> = skipped.iter().map(|(path, _)| path).collect();
        prop_assert_eq!(skipped_paths.len(), skipped.len(), "a file skipped twice: {:?}", skipped);
        for (path, reason) in &skipped {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            prop_assert!(["zero", "urandom", "fifo.rs"].contains(&name), "{:?}: {}", path, reason);
        }
        let distinct: HashSet<&String> = messages.iter().collect();
        prop_assert_eq!(distinct.len(), messages.len(), "a message twice: {:?}", messages);
        prop_assert!(messages.len() <= findings.len(), "{} messages for {} findings", messages.len(), findings.len());
    }
}
