//! Robustness: the detector runs inside every user's `cargo check`, so no input may make it
//! panic, overflow the stack or run unbounded. Deep nesting, huge files, invalid UTF-8,
//! byte-order marks, unterminated literals, `#[path]` cycles, symlink loops and missing files,
//! each in bounded time. The scans that must not overflow run on a
//! thread with a deliberately small stack. Generated input (token soup, arbitrary bytes,
//! module trees) is the property tests' part, in [`props`](super::props).
//!
//! The last test reads every `.rs` file of this workspace's dependencies (paths from `cargo
//! metadata`) as if it were user code, and prints the findings and the slowest files.

use crate::detect::source::disk::Disk;
use crate::detect::source::prefilter::Prefilter;
use crate::detect::source::store::tests::Memory;
use crate::detect::source::store::Unread;
use crate::detect::tests::e2e::{describe, findings_in, scan_memory};
use crate::detect::{scan_crate, scan_with, Scanned};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Runs `f` on a thread with a 1 MiB stack: far less than rustc gives a proc macro.
fn small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(f)
        .expect("thread")
        .join()
        .expect("no panic, no overflow")
}

fn scan_text(main: String, others: Vec<(String, Vec<u8>)>) -> Scanned {
    let mut memory = Memory::new(&[]);
    memory
        .files
        .insert(PathBuf::from("/c/src/main.rs"), main.into_bytes());
    for (path, bytes) in others {
        memory.files.insert(PathBuf::from(path), bytes);
    }
    scan_memory(&memory)
}

#[test]
fn deep_nesting_costs_heap_not_stack() {
    let findings = small_stack(|| {
        let depth = 100_000;
        let mut main = String::from("fn main() ");
        for i in 0..depth {
            main.push(if i % 2 == 0 { '{' } else { '(' });
        }
        main.push_str(" unsafe { libc::fork() } ");
        for i in (0..depth).rev() {
            main.push(if i % 2 == 0 { '}' } else { ')' });
        }
        let deep_include = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let with_include = format!(
            "{main}\nmacro_rules! never {{ () => {{ include!(\"deep.rs\"); }} }}\nmod unclosed;"
        );
        let unclosed = "fn f() { (((( [[[[ {{{{ ".repeat(depth / 8).into_bytes();
        describe(&scan_text(
            with_include,
            vec![
                ("/c/src/deep.rs".into(), deep_include.into_bytes()),
                ("/c/src/unclosed.rs".into(), unclosed),
            ],
        ))
    });
    // Still found below the depth where scopes are tracked.
    assert_eq!(findings, ["main.rs:1:100021 libc::fork"]);
}

#[test]
fn huge_file_is_read_once() {
    let mut main = String::from("// fork\n");
    for i in 0..30_000 {
        main.push_str(&format!("pub fn f{i}(x: u64) -> Result<u64, ()> {{ if x > {i} {{ Ok(x) }} else {{ Err(()) }} }}\n"));
    }
    main.push_str("fn main() { unsafe { libc::setsid(); } }\n");
    let scanned = scan_text(main, Vec::new());
    assert_eq!(describe(&scanned), ["main.rs:30002:22 libc::setsid"]);
    assert_eq!((scanned.files, scanned.lexed), (1, 1));
}

#[test]
fn unterminated_literals_and_bom() {
    for main in [
        "fn main() { let s = \"libc::fork()",
        "fn main() { let s = r##\"libc::fork()\"#",
        "fn main() { let c = '",
        "fn main() { /* libc::fork()",
        "fn main() { b\"",
        "\u{feff}fn main() { unsafe { libc::fork(); } }",
    ] {
        let _ = scan_text(main.to_owned(), Vec::new());
    }
    let found = findings_in(&[
        ("/c/src/main.rs", "\u{feff}mod x;\nfn main() {}"),
        (
            "/c/src/x.rs",
            "\u{feff}pub fn f() { unsafe { libc::fork(); } }",
        ),
    ]);
    assert_eq!(found, ["x.rs:1:23 libc::fork"]);
}

#[test]
fn invalid_utf8_files() {
    let found = describe(&scan_text(
        "mod a;".to_owned(),
        vec![(
            "/c/src/a.rs".into(),
            b"fn f() { \xff\xfe unsafe { libc::fork(); } }".to_vec(),
        )],
    ));
    assert_eq!(found, ["a.rs:1:22 libc::fork"]);
}

/// Found by the property tests: files that include each other and the root, with an inline
/// module around an include, made a new module per trip around the cycle; the walk ran until
/// the stack overflowed (or, on a large stack, practically forever).
#[test]
fn include_cycles_through_inline_modules_end() {
    let started = std::time::Instant::now();
    let found = small_stack(|| {
        findings_in(&[
            (
                "/c/src/main.rs",
                "include!(\"main.rs\");\nmod inline { mod a; include!(\"inc.rs\"); }\nmod a;",
            ),
            (
                "/c/src/a.rs",
                "mod inline { mod a; include!(\"inc.rs\"); }\ninclude!(\"main.rs\");\ninclude!(\"inc.rs\");",
            ),
            (
                "/c/src/inc.rs",
                "include!(\"main.rs\");\ninclude!(\"inc.rs\");\nmod inline { include!(\"inc.rs\"); include!(\"main.rs\"); }\n\
                 fn main() { unsafe { libc::fork(); } }",
            ),
        ])
    });
    assert!(
        started.elapsed() < std::time::Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(found, ["inc.rs:4:22 libc::fork"]);
}

#[test]
fn path_cycles_and_missing_files() {
    let found = findings_in(&[
        (
            "/c/src/main.rs",
            "#[path = \"a.rs\"] mod a; mod gone; #[path = \"nowhere/x.rs\"] mod x;",
        ),
        (
            "/c/src/a.rs",
            "#[path = \"b.rs\"] mod b; pub fn f() { unsafe { libc::fork(); } }",
        ),
        (
            "/c/src/b.rs",
            "#[path = \"a.rs\"] mod a; #[path = \"main.rs\"] mod m; include!(\"b.rs\");",
        ),
    ]);
    assert_eq!(found, ["a.rs:1:47 libc::fork"]);
}

#[test]
fn symlink_loops_report_once() {
    let mut memory = Memory::new(&[
        ("/c/src/main.rs", "mod a;"),
        (
            "/c/src/a/mod.rs",
            "mod a; mod b; pub fn f() { unsafe { libc::fork(); } }",
        ),
        ("/c/src/a/b.rs", "pub fn g() { unsafe { libc::setsid(); } }"),
    ]);
    memory
        .links
        .push((PathBuf::from("/c/src/a/a"), PathBuf::from("/c/src/a")));
    let found = describe(&scan_memory(&memory));
    assert_eq!(
        found,
        ["a/mod.rs:1:37 libc::fork", "a/b.rs:1:23 libc::setsid"]
    );
}

#[cfg(unix)]
#[test]
fn symlink_loops_on_disk_report_once() {
    let dir = std::env::temp_dir().join(format!("tf-detect-loop-{}", std::process::id()));
    let src = dir.join("src");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(src.join("a")).expect("dirs");
    std::fs::write(src.join("main.rs"), "mod a;\nfn main() {}\n").expect("main");
    std::fs::write(
        src.join("a/mod.rs"),
        "mod a;\npub fn f() { unsafe { libc::fork(); } }\n",
    )
    .expect("a");
    std::os::unix::fs::symlink(".", src.join("a/a")).expect("self link");
    let scanned = scan_crate(&src.join("main.rs"), &Disk, &HashMap::new(), true, &[]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(scanned.findings.len(), 1, "{:?}", describe(&scanned));
    assert_eq!(scanned.files, 2);
}

/// Every `.rs` file of the workspace's dependencies, read as user code: the root of a crate of
/// its own, lexed, indexed and checked whatever the prefilter says. Prints every finding and the
/// slowest files; fails on a panic.
#[test]
#[ignore = "reads every dependency's sources (about a minute); run with --ignored --nocapture"]
fn dependency_sources() {
    let output = std::process::Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1"])
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .output()
        .expect("cargo metadata runs");
    let metadata = String::from_utf8_lossy(&output.stdout);
    let mut dirs: Vec<PathBuf> = metadata
        .split("\"manifest_path\":\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|path| path.contains("/registry/") || path.contains("/git/"))
        .filter_map(|path| Path::new(path).parent().map(Path::to_path_buf))
        .collect();
    dirs.sort();
    dirs.dedup();
    assert!(!dirs.is_empty(), "cargo metadata listed no dependencies");
    let mut files = Vec::new();
    for dir in &dirs {
        collect_rs(dir, &mut files, 0);
    }
    let mut times = Vec::new();
    let mut findings = Vec::new();
    let mut panics = Vec::new();
    for file in &files {
        let start = std::time::Instant::now();
        let path = file.clone();
        let scanned = std::panic::catch_unwind(|| {
            scan_with(
                &path,
                &OneFile(path.clone()),
                &HashMap::new(),
                Prefilter::everything(),
                HashSet::new(),
                true,
                &[],
            )
        });
        let elapsed = start.elapsed();
        match scanned {
            Ok(scanned) => {
                for f in &scanned.findings {
                    findings.push(format!(
                        "{}:{}:{} {} ({})",
                        f.file.display(),
                        f.pos.line,
                        f.pos.col,
                        f.title,
                        f.written.as_deref().unwrap_or("")
                    ));
                }
            }
            Err(_) => panics.push(file.clone()),
        }
        let bytes = std::fs::metadata(file).map_or(0, |m| m.len());
        times.push((elapsed, bytes, file.clone()));
    }
    times.sort_by_key(|t| std::cmp::Reverse(t.0));
    let total: std::time::Duration = times.iter().map(|t| t.0).sum();
    eprintln!(
        "{} files from {} packages in {total:?}",
        files.len(),
        dirs.len()
    );
    for (elapsed, bytes, file) in times.iter().take(10) {
        eprintln!("slowest: {elapsed:?} {bytes} bytes {}", file.display());
    }
    eprintln!("{} findings:", findings.len());
    for finding in &findings {
        eprintln!("  {finding}");
    }
    assert!(panics.is_empty(), "panicked on {panics:?}");
}

/// Serves one file: every other path is missing, so each file is read on its own.
struct OneFile(PathBuf);

impl crate::detect::source::store::Sources for OneFile {
    fn read(&self, path: &Path) -> Result<Vec<u8>, Unread> {
        match path == self.0 {
            true => std::fs::read(path).map_err(|_| Unread::Missing),
            false => Err(Unread::Missing),
        }
    }

    fn canonical(&self, path: &Path) -> Option<PathBuf> {
        (path == self.0).then(|| path.to_path_buf())
    }
}

fn collect_rs(dir: &Path, out: &mut Vec<PathBuf>, depth: usize) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() && depth < 16 && !kind.is_symlink() {
            collect_rs(&path, out, depth + 1);
        } else if kind.is_file() && path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The detector's own cost on a crate on disk (the edit-check benchmark's, for example):
/// `TWELVE_FACTOR_SCAN_ROOT=…/src/main.rs cargo test -p twelvefactor-macros scan_cost -- --ignored --nocapture`.
#[test]
#[ignore = "a measurement: needs TWELVE_FACTOR_SCAN_ROOT"]
fn scan_cost() {
    let Some(root) = std::env::var_os("TWELVE_FACTOR_SCAN_ROOT") else {
        return;
    };
    // TWELVE_FACTOR_SCAN_ALL=1: lex and check every file, as if each had a banned word in code.
    let all = std::env::var_os("TWELVE_FACTOR_SCAN_ALL").is_some();
    for _ in 0..5 {
        let start = std::time::Instant::now();
        let scanned = match all {
            true => scan_with(
                Path::new(&root),
                &Disk,
                &HashMap::new(),
                Prefilter::everything(),
                HashSet::new(),
                true,
                &[],
            ),
            false => scan_crate(Path::new(&root), &Disk, &HashMap::new(), true, &[]),
        };
        eprintln!(
            "{} files, {} lexed, {} findings: {:?}",
            scanned.files,
            scanned.lexed,
            scanned.findings.len(),
            start.elapsed()
        );
    }
}

#[test]
#[ignore = "a measurement: needs TWELVE_FACTOR_SCAN_ROOT"]
fn lex_cost() {
    let Some(root) = std::env::var_os("TWELVE_FACTOR_SCAN_ROOT") else {
        return;
    };
    let text = std::fs::read_to_string(&root).expect("root");
    for _ in 0..3 {
        let start = std::time::Instant::now();
        let lexed = crate::detect::syntax::lex::lex(text.clone());
        let lexing = start.elapsed();
        let start = std::time::Instant::now();
        let count = crate::detect::syntax::items::items(lexed.top()).count();
        eprintln!("lex {lexing:?}, {count} items {:?}", start.elapsed());
    }
}

/// Sixteen files, each including the next four times (at item level, in an inline module, in a
/// `macro_rules!` body): the walk stays bounded (the nesting followed is capped), in about a
/// second here in a debug build.
#[test]
fn include_fan_out_stays_bounded() {
    let mut files: Vec<(String, String)> = vec![(
        "/c/src/main.rs".into(),
        "include!(\"f0.rs\");\nfn main() {}".into(),
    )];
    for i in 0..16 {
        let next = format!("include!(\"f{}.rs\");", i + 1);
        files.push((
            format!("/c/src/f{i}.rs"),
            format!(
                "mod inline {{ {next} }} macro_rules! m {{ () => {{ {next} }} }} {next} {next}\n\
                 fn g{i}() {{ unsafe {{ libc::fork(); }} }}"
            ),
        ));
    }
    let started = std::time::Instant::now();
    let found = small_stack(move || {
        let refs: Vec<(&str, &str)> = (files.iter())
            .map(|(path, text)| (path.as_str(), text.as_str()))
            .collect();
        findings_in(&refs)
    });
    assert!(
        started.elapsed() < std::time::Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    // Followed as deep as the nesting cap, each call once.
    assert!(
        found.contains(&"f0.rs:2:20 libc::fork".to_owned()),
        "{found:?}"
    );
    assert!(found.len() >= 8, "{found:?}");
}
